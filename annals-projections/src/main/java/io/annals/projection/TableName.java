package io.annals.projection;

/** A table of a projection's generation: as SQL names it ({@code schema.users_g2}) and bare ({@code users_g2}). */
record TableName(String qualified, String bare) {
}
