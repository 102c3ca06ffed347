package com.sparkvae.job;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * What a run never writes down: values of settings whose key names a secret, found as Spark finds them (its default
 * {@code spark.redaction.regex}, in the key or the value) and as Hadoop does (the default
 * {@code hadoop.security.sensitive-config-keys} of Hadoop 3.3.4 and 3.5.0, in the key), and the password of a URI's
 * user information. {@code submit.sh} hides the same settings in the command it prints.
 */
public final class Redaction {
    /** What Spark prints in place of a secret. */
    public static final String REDACTED = "*********(redacted)";
    private static final Pattern SPARK = Pattern.compile("(?i)secret|password|token|access[.]?key");
    private static final Pattern HADOOP = Pattern.compile(String.join("|",
            "secret$", "password$", "ssl.keystore.pass$", "fs.s3a.server-side-encryption.key",
            "fs.s3a.*.server-side-encryption.key", "fs.s3a.encryption.algorithm", "fs.s3a.encryption.key",
            "fs.s3a.encryption.context", "fs.s3a.secret.key", "fs.s3a.*.secret.key", "fs.s3a.session.key",
            "fs.s3a.*.session.key", "fs.s3a.session.token", "fs.s3a.*.session.token", "fs.azure.account.key.*",
            "fs.azure.oauth2.*", "fs.adl.oauth2.*", "fs.gs.encryption.*", "fs.gs.proxy.*", "fs.gs.auth.*",
            "credential$", "oauth.*secret", "oauth.*password", "oauth.*token", "hadoop.security.sensitive-config-keys"));

    private Redaction() {
    }

    /** Whether the setting {@code key = value} is a secret. */
    public static boolean isSecret(String key, String value) {
        return SPARK.matcher(key).find() || SPARK.matcher(value).find() || HADOOP.matcher(key).find();
    }

    /** {@code uri} with the password of its user information, if any, redacted ({@code s3a://key:secret@b/p}). */
    public static String uri(String uri) {
        try {
            String userInfo = new URI(uri).getRawUserInfo();
            if (userInfo == null || !userInfo.contains(":")) {
                return uri;
            }
            return uri.replace(userInfo + "@", userInfo.substring(0, userInfo.indexOf(':') + 1) + REDACTED + "@");
        } catch (java.net.URISyntaxException e) {
            return uri;
        }
    }
}
