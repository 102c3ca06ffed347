package com.sparkvae.job.data;

import com.sparkvae.job.DataException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads the rows [start, end) of an IDX file straight into {@link RowBlock}s, inside a task: an uncompressed file is
 * read from its offset, a gzipped one decompressed from the start and skipped to it. Unsigned bytes are scaled to
 * [0, 1] (grey levels); other types are taken as they are.
 */
public final class IdxPartitionReader {
    private IdxPartitionReader() {
    }

    static List<RowBlock> read(IdxHeader h, HadoopConf conf, long start, long end, BadRows bad) throws IOException {
        Path path = new Path(h.uri());
        FileSystem fs = path.getFileSystem(conf.get());
        int d = h.features();
        long offset = h.headerBytes() + start * d * h.valueBytes();
        List<RowBlock> blocks = new ArrayList<>();
        InputStream raw;
        if (h.gzipped()) {
            raw = IdxHeader.open(fs, path, true);
            skipFully(raw, offset, h);
        } else {
            FSDataInputStream in = fs.open(path, 1 << 16);
            in.seek(offset);
            raw = new java.io.BufferedInputStream(in, 1 << 16);
        }
        try (DataInputStream in = new DataInputStream(raw)) {
            int perBlock = RowBlock.rowsPerBlock(d);
            byte[] bytes = new byte[d * h.valueBytes()];
            // Unsigned bytes scaled to [0, 1] are valid by construction; other types are checked row by row.
            boolean check = h.typeCode() != IdxHeader.UBYTE;
            float[] row = new float[d];
            for (long next = start; next < end; ) {
                int rows = (int) Math.min(perBlock, end - next);
                float[] values = new float[rows * d];
                int kept = 0;
                for (int r = 0; r < rows; r++, next++) {
                    try {
                        in.readFully(bytes);
                    } catch (EOFException e) {
                        throw new DataException(h.uri() + ": file ends at example " + next + " of the "
                                + h.examples() + " its header announces", e);
                    }
                    decode(h, bytes, row, 0);
                    if (!check || bad.accept(row, h.uri() + ": example " + next)) {
                        System.arraycopy(row, 0, values, kept++ * d, d);
                    }
                }
                if (kept > 0) {
                    blocks.add(new RowBlock(kept == rows ? values : java.util.Arrays.copyOf(values, kept * d), kept, d));
                }
            }
            if (end == h.examples() && in.read() != -1) {
                // Reading to the end also makes GZIPInputStream check the trailer's CRC.
                throw new DataException(h.uri() + ": more data after the " + h.examples()
                        + " examples the header announces");
            }
        } catch (java.util.zip.ZipException e) {
            throw new DataException(h.uri() + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
        return blocks;
    }

    private static void skipFully(InputStream in, long n, IdxHeader h) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new DataException(h.uri() + ": file ends before byte " + n + " of the decompressed data");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static void decode(IdxHeader h, byte[] b, float[] dst, int off) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
        int d = h.features();
        switch (h.typeCode()) {
            case IdxHeader.UBYTE -> {
                for (int i = 0; i < d; i++) {
                    dst[off + i] = (b[i] & 0xff) / 255f;
                }
            }
            case 0x09 -> {
                for (int i = 0; i < d; i++) {
                    dst[off + i] = b[i];
                }
            }
            case 0x0B -> {
                for (int i = 0; i < d; i++) {
                    dst[off + i] = buf.getShort();
                }
            }
            case 0x0C -> {
                for (int i = 0; i < d; i++) {
                    dst[off + i] = buf.getInt();
                }
            }
            case 0x0D -> {
                for (int i = 0; i < d; i++) {
                    dst[off + i] = buf.getFloat();
                }
            }
            case 0x0E -> {
                for (int i = 0; i < d; i++) {
                    dst[off + i] = (float) buf.getDouble();
                }
            }
            default -> throw new IllegalStateException("unreachable type " + h.typeCode());
        }
    }
}
