package com.sparkvae.job.data;

import com.sparkvae.job.DataException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The header of an IDX file (the MNIST format): two zero bytes, a type code, the number of dimensions, then each
 * dimension as a big-endian int. The first dimension counts the examples; the others multiply into the feature count.
 */
public record IdxHeader(String uri, boolean gzipped, int typeCode, long examples, int features, int headerBytes)
        implements Serializable {

    static final int UBYTE = 0x08;

    int valueBytes() {
        return switch (typeCode) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw new IllegalStateException("unreachable type " + typeCode);
        };
    }

    static IdxHeader read(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(conf);
        boolean gz;
        try (FSDataInputStream raw = fs.open(path)) {
            gz = raw.read() == 0x1f & raw.read() == 0x8b;
        }
        try (DataInputStream in = new DataInputStream(open(fs, path, gz))) {
            int zero1 = in.readUnsignedByte();
            int zero2 = in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int dims = in.readUnsignedByte();
            if (zero1 != 0 || zero2 != 0 || !java.util.Set.of(0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E).contains(type)
                    || dims < 1) {
                throw new DataException(uri + ": not an IDX file (magic number " + String.format("0x%02x%02x%02x%02x",
                        zero1, zero2, type, dims) + " at byte 0; expected 0x0000TTDD with type TT one of 08, 09, "
                        + "0b, 0c, 0d, 0e and DD dimensions ≥ 1)");
            }
            long examples = Integer.toUnsignedLong(in.readInt());
            long features = 1;
            for (int d = 1; d < dims; d++) {
                features *= Integer.toUnsignedLong(in.readInt());
            }
            if (features > Integer.MAX_VALUE / 8) {
                throw new DataException(uri + ": " + features + " features per example is more than the job supports");
            }
            IdxHeader header = new IdxHeader(uri, gz, type, examples, (int) features, 4 + 4 * dims);
            if (!gz) {
                long expected = header.headerBytes() + examples * features * header.valueBytes();
                long actual = fs.getFileStatus(path).getLen();
                if (expected != actual) {
                    throw new DataException(uri + ": the header announces " + examples + " examples of " + features
                            + " values (" + expected + " bytes) but the file has " + actual + " bytes");
                }
            }
            return header;
        } catch (java.io.EOFException e) {
            throw new DataException(uri + ": file ends inside the IDX header", e);
        }
    }

    static InputStream open(FileSystem fs, Path path, boolean gz) throws IOException {
        InputStream in = new BufferedInputStream(fs.open(path), 1 << 16);
        return gz ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
