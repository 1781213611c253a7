package io.annals.server.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes and lines read through it and reports them as progress. */
public final class CountingInputStream extends FilterInputStream {

    private final TransferProgress progress;
    private long bytes;
    private long lines;

    public CountingInputStream(InputStream in, TransferProgress progress) {
        super(in);
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            bytes++;
            if (b == '\n') {
                lines++;
            }
            progress.advanced(lines, bytes);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = in.read(buffer, offset, length);
        if (read > 0) {
            bytes += read;
            for (int i = offset; i < offset + read; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
            progress.advanced(lines, bytes);
        }
        return read;
    }

    public long bytes() {
        return bytes;
    }
}
