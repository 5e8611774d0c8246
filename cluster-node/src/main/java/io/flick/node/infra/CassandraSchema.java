package io.flick.node.infra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned CQL files under {@code cql/} in order, each once, recording what was
 * applied in {@code schema_migrations}. Keyspace creation is for dev mode and tests only.
 */
public final class CassandraSchema {
  private static final Logger log = LoggerFactory.getLogger(CassandraSchema.class);

  /** In order; a new file is appended, an applied one is never edited. */
  public static final List<String> MIGRATIONS =
      List.of(
          "V001__journal.cql",
          "V002__accounts.cql",
          "V003__uploads.cql",
          "V004__comments.cql",
          "V005__feeds.cql",
          "V006__projections.cql",
          "V007__moderation.cql",
          "V008__studio.cql",
          "V009__moderation_audit.cql",
          "V010__studio_months.cql",
          "V011__studio_removals.cql",
          "V012__sounds.cql",
          "V013__studio_video_hours.cql");

  private static final Pattern KEYSPACE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);

  public record Settings(String keyspace, boolean createKeyspace, boolean migrateOnStart) {
    public static Settings from(Config config) {
      Config c = config.getConfig("flick.cassandra");
      return new Settings(
          c.getString("keyspace"),
          c.getBoolean("create-keyspace"),
          c.getBoolean("migrate-on-start"));
    }
  }

  private CassandraSchema() {}

  /** Blocking: runs once at startup, before any entity writes. */
  public static void migrate(CqlSession session, Settings settings) {
    String keyspace = settings.keyspace();
    if (!KEYSPACE_NAME.matcher(keyspace).matches()) {
      throw new IllegalArgumentException("not a keyspace name: " + keyspace);
    }
    if (settings.createKeyspace()) {
      execute(
          session,
          "CREATE KEYSPACE IF NOT EXISTS "
              + keyspace
              + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    }
    execute(
        session,
        "CREATE TABLE IF NOT EXISTS "
            + keyspace
            + ".schema_migrations (version text PRIMARY KEY, applied_at timestamp)");
    for (String migration : MIGRATIONS) {
      boolean applied =
          session
                  .execute(
                      SimpleStatement.newInstance(
                          "SELECT version FROM "
                              + keyspace
                              + ".schema_migrations WHERE version = ?",
                          migration))
                  .one()
              != null;
      if (applied) {
        continue;
      }
      log.info("applying {} to keyspace {}", migration, keyspace);
      for (String statement : statements(read(migration), keyspace)) {
        execute(session, statement);
      }
      session.execute(
          SimpleStatement.newInstance(
              "INSERT INTO " + keyspace + ".schema_migrations (version, applied_at) VALUES (?, ?)",
              migration,
              Instant.now()));
    }
  }

  static List<String> statements(String script, String keyspace) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String statement = current.toString().strip();
        statements.add(
            statement.substring(0, statement.length() - 1).replace("${keyspace}", keyspace));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException("CQL script does not end with ';'");
    }
    return statements;
  }

  private static void execute(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
  }

  private static String read(String migration) {
    try (InputStream in = CassandraSchema.class.getResourceAsStream("/cql/" + migration)) {
      if (in == null) {
        throw new IllegalStateException("missing CQL resource cql/" + migration);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
