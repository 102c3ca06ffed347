package com.sparkvae.job;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The options of one command, in the order of its help text; a key declared twice is refused. */
public record Settings(List<Setting<?>> all) {

    public Settings {
        all = List.copyOf(all);
        Set<String> keys = new HashSet<>();
        for (Setting<?> s : all) {
            if (!keys.add(s.key())) {
                throw new IllegalStateException("option declared twice: " + s.key());
            }
        }
    }

    public static Settings of(Setting<?>... settings) {
        return new Settings(List.of(settings));
    }

    public Optional<Setting<?>> byKey(String key) {
        return all.stream().filter(s -> s.key().equals(key)).findFirst();
    }
}
