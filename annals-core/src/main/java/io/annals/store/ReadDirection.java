package io.annals.store;

public enum ReadDirection {
    FORWARD,
    BACKWARD
}
