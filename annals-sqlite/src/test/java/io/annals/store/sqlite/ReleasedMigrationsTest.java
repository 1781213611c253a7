package io.annals.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A released version of the schema is never edited: a file migrated by it records only its
 * number, so an edit would never reach the files that already ran it. What changes goes into a
 * new version.
 */
class ReleasedMigrationsTest {

    @ParameterizedTest
    @CsvSource({
            "1, ce90e9470eec0882bb8c85128140d2b998cb31050f89f14643d79863ea67ce59",
            "2, 5ef1217487316cbe1e598268af66e5367d6279667c9f4d63d94a4cb66cc81af9",
            "3, d4b5ef98e2b3ae02f420ea340effaf9dcf30835fa20400c6d17eb97c26f534f8",
            "4, 3e37d00e81221b2619535326406a42d29d573154be35f1b7f1124ac4a7b62d33",
            "5, 307e4ca9e5ae955da7f0e6199904013564fa6760e9c433b66357558cf0cf625d",
            "6, 698fe7fb8fa706db9eef21d631f1d32230d060a6e7b062adafd5f00c1f131d73"
    })
    void releasedVersionsAreAsReleased(int version, String sha256) throws IOException, NoSuchAlgorithmException {
        String name = "migrations/V" + version + ".sql";
        try (InputStream in = Migrations.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
            assertThat(actual).as("%s was edited after its release; put the change in a new version", name)
                    .isEqualTo(sha256);
        }
    }

    @Test
    void everyVersionUpToTheLatestIsPinnedHere() {
        assertThat(Migrations.LATEST_VERSION).as("pin the new version's SHA-256 above when it is released").isEqualTo(6);
    }
}
