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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  /** As the driver waits: persistence.conf's schema-agreement timeout, its default interval. */
  private static final Duration AGREEMENT_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration AGREEMENT_POLL = Duration.ofMillis(200);

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
    // The driver answers a DDL statement only after refreshing its schema metadata, a refresh it
    // debounces by a second (advanced.metadata.schema.debouncer.window): the ~40 statements of a
    // new keyspace took ~45 s, nearly all of it waiting. Off while migrating (nothing else uses
    // the session yet); each statement waits for the nodes' schema agreement itself instead.
    await(session.setSchemaMetadataEnabled(false));
    try {
      apply(session, keyspace, settings.createKeyspace());
    } finally {
      session.setSchemaMetadataEnabled(null); // back to the configured value, with a full refresh
    }
  }

  private static void apply(CqlSession session, String keyspace, boolean createKeyspace) {
    if (createKeyspace) {
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

  /** A DDL statement, then until every node runs the schema it made (as the driver would). */
  private static void execute(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
    long deadline = System.nanoTime() + AGREEMENT_TIMEOUT.toNanos();
    while (!session.checkSchemaAgreement()) {
      if (System.nanoTime() > deadline) {
        // what the driver does too: go on, the next statement may still find its table
        log.warn(
            "Cassandra nodes did not agree on the schema within {} after: {}",
            AGREEMENT_TIMEOUT,
            cql);
        return;
      }
      try {
        Thread.sleep(AGREEMENT_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while awaiting schema agreement", e);
      }
    }
  }

  private static void await(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(DDL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cassandra driver metadata switch failed", e);
    }
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
