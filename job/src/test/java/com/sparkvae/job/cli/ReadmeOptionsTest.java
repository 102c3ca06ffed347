package com.sparkvae.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sparkvae.job.Setting;
import com.sparkvae.job.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README.md's option tables are the options the commands take, with the defaults they use. */
class ReadmeOptionsTest {
    private static final Pattern OPTION = Pattern.compile("`--([a-z0-9-]+)[^`]*`");

    @Test
    void theTrainTableListsEveryTrainOptionWithItsDefault() throws IOException {
        assertEquals(documented(JobCommand.TRAIN.settings), table("### train"));
    }

    @Test
    void theScoreAndSampleTableListsTheirOptionsWithTheirDefaults() throws IOException {
        Map<String, String> both = documented(JobCommand.SCORE.settings);
        documented(JobCommand.SAMPLE.settings).forEach(both::putIfAbsent);
        assertEquals(both, table("### score and sample"));
    }

    /** Key to default, as the table writes it: the default text, "(none)" when empty, "(required)" without one. */
    private static Map<String, String> documented(Settings settings) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting<?> s : settings.all()) {
            out.put(s.key(), s.isRequired() ? "(required)" : s.defaultText().isEmpty() ? "(none)" : s.defaultText());
        }
        return out;
    }

    /** The first table after {@code heading}: each row's option key and its default column, code quotes removed. */
    private static Map<String, String> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int at = lines.indexOf(heading);
        while (!lines.get(at).startsWith("| option")) {
            at++;
        }
        Map<String, String> rows = new LinkedHashMap<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split(" \\| ");
            Matcher key = OPTION.matcher(cells[0]);
            if (key.find()) {
                String value = cells[1].trim();
                rows.put(key.group(1), value.startsWith("`") ? value.substring(1, value.indexOf('`', 1)) : value
                        .replaceAll(" .*", ""));
            }
        }
        return rows;
    }
}
