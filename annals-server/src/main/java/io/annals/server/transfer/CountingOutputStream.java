package io.annals.server.transfer;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Counts the bytes and lines written through it and reports them as progress. */
public final class CountingOutputStream extends FilterOutputStream {

    private final TransferProgress progress;
    private long bytes;
    private long lines;

    public CountingOutputStream(OutputStream out, TransferProgress progress) {
        super(out);
        this.progress = progress;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        bytes++;
        if (b == '\n') {
            lines++;
        }
        progress.advanced(lines, bytes);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        out.write(buffer, offset, length);
        bytes += length;
        for (int i = offset; i < offset + length; i++) {
            if (buffer[i] == '\n') {
                lines++;
            }
        }
        progress.advanced(lines, bytes);
    }

    public long bytes() {
        return bytes;
    }
}
