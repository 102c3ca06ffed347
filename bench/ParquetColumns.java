import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * Prints columns of a Parquet directory (the part files written by {@code score}) as CSV lines, for benches whose
 * Python has no Parquet reader. Run from the build's Spark class path, by Java's source launcher:
 * <pre>java -cp "$(cat spark-runtime/target/3.5_2.12/spark-classpath.txt)" bench/ParquetColumns.java DIR a,b</pre>
 * Columns are of numeric types (int64, double, float, int32).
 */
public final class ParquetColumns {
    public static void main(String[] args) throws IOException {
        Path dir = new Path(args[0]);
        List<String> columns = Arrays.asList(args[1].split(","));
        Configuration conf = new Configuration();
        FileSystem fs = dir.getFileSystem(conf);
        PrintWriter out = new PrintWriter(System.out);
        out.println(String.join(",", columns));
        for (FileStatus f : fs.listStatus(dir)) {
            if (!f.getPath().getName().endsWith(".parquet")) {
                continue;
            }
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), f.getPath())
                    .withConf(conf).build()) {
                for (Group g = reader.read(); g != null; g = reader.read()) {
                    StringBuilder line = new StringBuilder();
                    for (String c : columns) {
                        if (line.length() > 0) {
                            line.append(',');
                        }
                        line.append(g.getValueToString(g.getType().getFieldIndex(c), 0));
                    }
                    out.println(line);
                }
            }
        }
        out.flush();
    }
}
