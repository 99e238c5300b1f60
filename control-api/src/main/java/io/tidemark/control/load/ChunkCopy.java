package io.tidemark.control.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

import io.tidemark.sink.naming.Identifiers;

/**
 * One chunk of a table: {@code COPY (SELECT … WHERE ctid in the chunk's pages) TO STDOUT} on the
 * source, its bytes passed as they come into {@code COPY … FROM STDIN} on the target, binary when
 * both sides have the same types, text otherwise (PostgreSQL then converts each value as an
 * {@code INSERT} would). Nothing is decoded in between: the rows cost the two servers their own
 * work and this process a copy of the bytes.
 *
 * @param fromPage the first page; {@code toPage} the page after the last, or -1 for the rest of the table
 */
record ChunkCopy(TargetTables.Prepared table, long fromPage, long toPage) {

    private static final int SEND_BYTES = 1 << 16;

    /** @return the rows the target took */
    long copy(Connection source, Connection target, AtomicLong progress) throws SQLException {
        LoadTable t = table.table();
        String format = table.binary() ? " (FORMAT binary)" : "";
        String select = "SELECT " + t.columns().stream().map(c -> Identifiers.quote(c.name()))
                .collect(Collectors.joining(", ")) + " FROM ONLY " + Identifiers.quote(t.sourceSchema(), t.sourceName())
                + where();
        String into = "COPY " + t.target().quoted() + " (" + t.columns().stream()
                .map(c -> Identifiers.quote(c.targetName())).collect(Collectors.joining(", ")) + ") FROM STDIN" + format;
        CopyOut out = source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT" + format);
        CopyIn in = null;
        try {
            in = target.unwrap(PGConnection.class).getCopyAPI().copyIn(into);
            byte[] pending = new byte[SEND_BYTES];
            int length = 0;
            long messages = 0;
            byte[] data;
            while ((data = out.readFromCopy()) != null) {
                if (length + data.length > pending.length) {
                    in.writeToCopy(pending, 0, length);
                    length = 0;
                }
                if (data.length > pending.length) {
                    in.writeToCopy(data, 0, data.length);
                } else {
                    System.arraycopy(data, 0, pending, length, data.length);
                    length += data.length;
                }
                if (++messages % 1024 == 0) {
                    progress.addAndGet(1024); // a message is a row (binary adds the header and trailer to rows)
                }
            }
            if (length > 0) {
                in.writeToCopy(pending, 0, length);
            }
            long rows = in.endCopy();
            progress.addAndGet(rows - messages / 1024 * 1024);
            return rows;
        } finally {
            if (out.isActive()) {
                out.cancelCopy();
            }
            if (in != null && in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private String where() {
        if (fromPage == 0 && toPage < 0) {
            return "";
        }
        String from = " WHERE ctid >= '(" + fromPage + ",0)'::tid";
        return toPage < 0 ? from : from + " AND ctid < '(" + toPage + ",0)'::tid";
    }
}
