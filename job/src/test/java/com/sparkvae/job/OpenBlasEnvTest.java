package com.sparkvae.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/openblas-env.sh names OpenBLAS's kernels from the CPU's vendor and instruction sets, run by a real bash. */
public class OpenBlasEnvTest {
    private static final String AMD = "vendor_id\t: AuthenticAMD\n";
    private static final String INTEL = "vendor_id\t: GenuineIntel\n";
    private static final String AVX2 = "flags\t\t: fpu sse sse2 avx fma avx2 bmi2\n";
    private static final String AVX512 = "flags\t\t: fpu sse sse2 avx fma avx2 avx512f avx512dq avx512cd avx512bw avx512vl\n";

    @TempDir
    Path dir;

    @Test
    void amdWithAvx512GetsTheSkylakeXKernels() throws Exception {
        assertEquals("SKYLAKEX", coreType(AMD + AVX512, null));
    }

    @Test
    void amdWithAvx2OnlyGetsTheHaswellKernels() throws Exception {
        assertEquals("HASWELL", coreType(AMD + AVX2, null));
    }

    @Test
    void intelIsLeftToOpenBlasItself() throws Exception {
        assertEquals("", coreType(INTEL + AVX512, null));
    }

    @Test
    void aValueAlreadySetIsKept() throws Exception {
        assertEquals("Haswell", coreType(AMD + AVX512, "Haswell"));
    }

    /** OPENBLAS_CORETYPE after sourcing the script on a machine with this /proc/cpuinfo. */
    private String coreType(String cpuinfo, String preset) throws IOException, InterruptedException {
        Path info = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\n" + cpuinfo + "bugs\t\t:\n");
        return SparkTestSupport.openBlasCoreType(info, preset);
    }
}
