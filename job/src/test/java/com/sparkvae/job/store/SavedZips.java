package com.sparkvae.job.store;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** Rewrites the zip files the job saves (models, checkpoints) as other versions, or damage, would leave them. */
public final class SavedZips {
    private SavedZips() {
    }

    /**
     * Every entry as it was, deflated (the zip default), except {@code name}, replaced by {@code change} of its
     * bytes.
     */
    static void rewriteEntry(Path file, String name, UnaryOperator<byte[]> change) throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (InputStream raw = Files.newInputStream(file); ZipInputStream in = new ZipInputStream(raw);
             ZipOutputStream out = new ZipOutputStream(copy)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] data = in.readAllBytes();
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(e.getName().equals(name) ? change.apply(data) : data);
                out.closeEntry();
            }
        }
        // Through Hadoop's local file system, which keeps the checksum file beside it in step.
        try (OutputStream o = FileSystem.getLocal(new Configuration()).create(
                new org.apache.hadoop.fs.Path(file.toString()), true)) {
            copy.writeTo(o);
        }
    }

    /** Every entry's bytes by name, in the zip's order. */
    static java.util.Map<String, byte[]> entries(Path file) throws IOException {
        java.util.Map<String, byte[]> all = new java.util.LinkedHashMap<>();
        try (InputStream raw = Files.newInputStream(file); ZipInputStream in = new ZipInputStream(raw)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                all.put(e.getName(), in.readAllBytes());
            }
        }
        return all;
    }

    /** A vector as earlier versions wrote it with DataOutputStream: the magic, the count, the floats one by one. */
    static byte[] floatByFloat(int magic, float[] vector) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(bytes);
            d.writeInt(magic);
            d.writeInt(vector.length);
            for (float v : vector) {
                d.writeFloat(v);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
