package io.annals.bench.db;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Makes and checks the names of the schemas and files each subject gets, before they reach SQL. */
public final class SchemaNames {

    private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private SchemaNames() {
    }

    /** A fresh name like {@code bench_append_1_client_raw_jdbc_3fa2c1}. */
    public static String fresh(String caseName, String subjectName) {
        String base = ("bench_" + caseName + "_" + subjectName).toLowerCase().replaceAll("[^a-z0-9]+", "_");
        if (base.length() > 48) {
            base = base.substring(0, 48);
        }
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return requireValid(base + "_" + HexFormat.of().formatHex(suffix));
    }

    public static String requireValid(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("not a valid schema name: " + name);
        }
        return name;
    }
}
