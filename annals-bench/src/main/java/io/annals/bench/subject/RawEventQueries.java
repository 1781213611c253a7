package io.annals.bench.subject;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The plain-JDBC reads both raw baselines make, whatever their driver: a keyset-paginated scan
 * of the whole table and a read of one stream. Each row is materialised by the caller's mapper,
 * as every comparator materialises its rows.
 */
final class RawEventQueries {

    /** Materialises one row and returns its id, the key of the next page. */
    @FunctionalInterface
    interface RowMapper {
        long mapToId(ResultSet row) throws SQLException;
    }

    private RawEventQueries() {
    }

    /**
     * Runs {@code page} ({@code ... WHERE id > ? ORDER BY id LIMIT ?}) until the table ends or
     * {@code stopAfter} rows were read; returns how many were.
     */
    static long keysetScan(PreparedStatement page, int pageSize, long stopAfter, RowMapper mapper) throws SQLException {
        long seen = 0;
        long lastId = 0;
        while (seen < stopAfter) {
            page.setLong(1, lastId);
            page.setInt(2, pageSize);
            int rows = 0;
            try (ResultSet result = page.executeQuery()) {
                while (result.next()) {
                    lastId = mapper.mapToId(result);
                    rows++;
                }
            }
            seen += rows;
            if (rows < pageSize) {
                break;
            }
        }
        return seen;
    }

    /** Runs {@code select} ({@code ... WHERE stream_id = ?}) and returns how many rows it read. */
    static int loadStream(PreparedStatement select, String streamId, RowMapper mapper) throws SQLException {
        select.setString(1, streamId);
        int count = 0;
        try (ResultSet result = select.executeQuery()) {
            while (result.next()) {
                mapper.mapToId(result);
                count++;
            }
        }
        return count;
    }
}
