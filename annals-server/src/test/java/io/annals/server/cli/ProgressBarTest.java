package io.annals.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void drawsTheFractionDoneWhenKnownAndTheDetailAlways() {
        var bar = new ProgressBar(new PrintWriter(new StringWriter()), "rebuilding");

        assertThat(bar.render(0.5, "10 events")).isEqualTo("rebuilding [" + "#".repeat(15) + " ".repeat(15) + "]  50% 10 events");
        assertThat(bar.render(1.7, "done")).isEqualTo("rebuilding [" + "#".repeat(30) + "] 100% done");
        assertThat(bar.render(-1, "3 events")).isEqualTo("rebuilding 3 events");
    }

    @Test
    void wordsTheDetailOnlyForALineItDrawsAndClearsTheLineAtTheEnd() {
        var terminal = new StringWriter();
        var bar = new ProgressBar(new PrintWriter(terminal), "load");
        int[] worded = {0};

        bar.show(0.1, () -> "first " + ++worded[0]);
        bar.show(0.2, () -> "second " + ++worded[0]);
        bar.finish();

        // the second comes within the tenth of a second unless the machine stalled in between
        String drawn = terminal.toString();
        assertThat(drawn).startsWith("\r\033[2Kload [###                           ]  10% first 1").endsWith("\r\033[2K");
        assertThat(drawn.split("\r\033\\[2Kload", -1).length - 1).isEqualTo(worded[0]);
    }
}
