package com.sparkvae.job.score;

import com.sparkvae.job.ConfigException;
import com.sparkvae.job.SampleConfig;
import com.sparkvae.job.report.ImageGrid;
import com.sparkvae.job.report.ModelPictures;
import com.sparkvae.job.store.ModelLocation;
import com.sparkvae.job.store.ModelStore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code sample}: a PNG grid of decoder means at draws t ~ N(0, I), for image-shaped data. Runs on the driver. */
public final class SampleJob {
    private static final Logger LOG = LoggerFactory.getLogger(SampleJob.class);

    private SampleJob() {
    }

    public static void run(Configuration hadoop, SampleConfig cfg) throws IOException {
        Path modelFile = ModelLocation.resolve(cfg.model(), "model", hadoop);
        ModelStore.SavedModel model = ModelStore.load(modelFile, hadoop);
        OptionalInt side = ImageGrid.squareSide(model.inputDim());
        if (side.isEmpty()) {
            throw new ConfigException("sample: the model's rows of " + model.inputDim()
                    + " values are not square images, so there is no picture to draw");
        }
        Path out = new Path(cfg.output());
        FileSystem fs = out.getFileSystem(hadoop);
        if (fs.exists(out) && !cfg.overwrite()) {
            throw new ConfigException("output: " + out + " exists; choose another --output or add --overwrite");
        }
        int count = cfg.count();
        int columns = (int) Math.ceil(Math.sqrt(count));
        byte[] png = ImageGrid.grid(ModelPictures.forDisplay(ModelPictures.samples(model.architecture(),
                model.parameters(), model.features().transform(), count, cfg.seed())), side.getAsInt(), columns,
                side.getAsInt() < 64 ? 2 : 1);
        try (OutputStream o = fs.create(out, true)) {
            o.write(png);
        }
        LOG.info("{} samples of {} written to {}", count, modelFile, out);
    }
}
