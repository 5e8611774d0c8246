package io.flick.video;

import io.flick.video.VideoSummary.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Wakes videos whose deadline has passed while nobody touched them, so an abandoned upload or a
 * video stuck in PROCESSING ends FAILED even when its entity is passivated and holds no timer.
 *
 * <p>Every {@code interval} it asks the {@link DeadlineIndex} for up to {@value #BATCH} videos that
 * are due, and sends each a {@link VideoCommand.Get} through {@link VideoService}: an entity past
 * its deadline fails itself before answering. Then it forgets the videos that are READY, FAILED or
 * gone, and moves those whose state now has a later deadline (a processing deadline the index
 * missed) to that deadline. Whatever is left is tried again on the next tick.
 *
 * <p>Run it on every node: it holds no lease and needs none, since a Get is harmless and every
 * index operation idempotent. It never blocks a thread (everything is a {@link CompletionStage}),
 * sweeps at most once at a time per node (a tick during a sweep is skipped), asks at most {@value
 * #PARALLELISM} entities at once, and survives a failing index or entity: it logs and tries again
 * on the next tick.
 */
public final class DeadlineSweeper {

  /** The most videos one sweep looks at. */
  public static final int BATCH = 500;

  static final int PARALLELISM = 8;

  private static final AtomicInteger instances = new AtomicInteger();

  private DeadlineSweeper() {}

  /** Starts a sweeper as a system actor of {@code system}; it lives as long as the system. */
  public static void start(
      ActorSystem<?> system, VideoService videos, DeadlineIndex index, Duration interval) {
    system.systemActorOf(
        behavior(videos, index, interval, Clock.systemUTC()),
        "video-deadline-sweeper-" + instances.incrementAndGet(),
        Props.empty());
  }

  static Behavior<Message> behavior(
      VideoService videos, DeadlineIndex index, Duration interval, Clock clock) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the sweep interval must be positive");
    }
    Behavior<Message> sweeper =
        Behaviors.setup(
            context ->
                Behaviors.withTimers(
                    timers -> {
                      context.setLoggerName(DeadlineSweeper.class);
                      timers.startTimerWithFixedDelay(Tick.INSTANCE, Tick.INSTANCE, interval);
                      return new Sweeper(context, videos, index, interval, clock).idle();
                    }));
    return Behaviors.supervise(sweeper).onFailure(SupervisorStrategy.restart());
  }

  // ---- protocol (local only)

  sealed interface Message extends NoSerializationVerificationNeeded {}

  enum Tick implements Message {
    INSTANCE
  }

  private record Swept(Result result, Throwable failure) implements Message {}

  /** What one sweep did; {@code firstError} is one of the {@code errors}, or null. */
  record Result(
      int due, int settled, int rescheduled, int pending, int errors, Throwable firstError) {}

  private enum Outcome {
    /** READY, FAILED or gone: forgotten. */
    SETTLED,
    /** Its current state has a later deadline: remembered with that one. */
    RESCHEDULED,
    /** Still UPLOADING or PROCESSING and not overdue by its entity's clock: next tick. */
    PENDING,
    ERROR
  }

  private record Checked(Outcome outcome, Throwable error) {}

  private static final class Sweeper {
    private final ActorContext<Message> context;
    private final VideoService videos;
    private final DeadlineIndex index;
    private final Duration interval;
    private final Clock clock;

    Sweeper(
        ActorContext<Message> context,
        VideoService videos,
        DeadlineIndex index,
        Duration interval,
        Clock clock) {
      this.context = context;
      this.videos = videos;
      this.index = index;
      this.interval = interval;
      this.clock = clock;
    }

    Behavior<Message> idle() {
      return Behaviors.receive(Message.class)
          .onMessage(Tick.class, tick -> sweep())
          .onMessage(Swept.class, this::done) // a sweep from before a restart
          .build();
    }

    private Behavior<Message> sweeping() {
      return Behaviors.receive(Message.class)
          .onMessage(Tick.class, tick -> Behaviors.same()) // one sweep at a time
          .onMessage(Swept.class, this::done)
          .build();
    }

    private Behavior<Message> sweep() {
      CompletionStage<Result> sweep;
      try {
        sweep = DeadlineSweeper.sweep(videos, index, clock.instant());
      } catch (RuntimeException e) {
        sweep = CompletableFuture.failedFuture(e);
      }
      context.pipeToSelf(sweep, Swept::new);
      return sweeping();
    }

    private Behavior<Message> done(Swept swept) {
      if (swept.failure() != null) {
        context
            .getLog()
            .warn(
                "deadline sweep failed ({}); trying again in {}",
                unwrap(swept.failure()).toString(),
                interval);
      } else {
        Result r = swept.result();
        if (r.errors() > 0) {
          context
              .getLog()
              .warn(
                  "deadline sweep: {} of {} due videos could not be checked ({}); trying again in {}",
                  r.errors(),
                  r.due(),
                  unwrap(r.firstError()).toString(),
                  interval);
        } else if (r.due() > 0) {
          context
              .getLog()
              .debug(
                  "deadline sweep: {} due, {} settled, {} rescheduled, {} pending",
                  r.due(),
                  r.settled(),
                  r.rescheduled(),
                  r.pending());
        }
      }
      return idle();
    }
  }

  // ---- one sweep, off the actor

  static CompletionStage<Result> sweep(VideoService videos, DeadlineIndex index, Instant now) {
    return call(() -> index.due(now, BATCH))
        .thenCompose(ids -> checkAll(videos, index, now, ids == null ? List.of() : ids));
  }

  /** Checks the videos {@value #PARALLELISM} at a time; one failing never stops the others. */
  private static CompletionStage<Result> checkAll(
      VideoService videos, DeadlineIndex index, Instant now, List<String> ids) {
    List<Checked> checked = new ArrayList<>(ids.size());
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (int from = 0; from < ids.size(); from += PARALLELISM) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + PARALLELISM));
      chain =
          chain.thenCompose(
              ignored -> {
                List<CompletableFuture<Checked>> running =
                    chunk.stream()
                        .map(id -> check(videos, index, now, id).toCompletableFuture())
                        .toList();
                return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                    .thenRun(
                        () -> {
                          synchronized (checked) {
                            running.forEach(f -> checked.add(f.join()));
                          }
                        });
              });
    }
    return chain.thenApply(
        ignored -> {
          synchronized (checked) {
            return tally(checked);
          }
        });
  }

  private static CompletionStage<Checked> check(
      VideoService videos, DeadlineIndex index, Instant now, String id) {
    return call(() -> videos.get(id))
        .thenCompose(
            found -> {
              if (found.isEmpty() || isFinal(found.get())) {
                return call(() -> index.forget(id)).thenApply(v -> ok(Outcome.SETTLED));
              }
              Optional<Instant> later = found.get().deadline().filter(d -> d.isAfter(now));
              if (later.isPresent()) {
                return call(() -> index.remember(id, later.get()))
                    .thenApply(v -> ok(Outcome.RESCHEDULED));
              }
              return CompletableFuture.completedFuture(ok(Outcome.PENDING));
            })
        .exceptionally(e -> new Checked(Outcome.ERROR, e));
  }

  private static boolean isFinal(VideoSummary video) {
    return video.status() == Status.READY
        || video.status() == Status.FAILED
        || video.status() == Status.HELD;
  }

  private static Checked ok(Outcome outcome) {
    return new Checked(outcome, null);
  }

  private static Result tally(List<Checked> checked) {
    int[] counts = new int[Outcome.values().length];
    Throwable first = null;
    for (Checked c : checked) {
      counts[c.outcome().ordinal()]++;
      if (first == null && c.error() != null) {
        first = c.error();
      }
    }
    return new Result(
        checked.size(),
        counts[Outcome.SETTLED.ordinal()],
        counts[Outcome.RESCHEDULED.ordinal()],
        counts[Outcome.PENDING.ordinal()],
        counts[Outcome.ERROR.ordinal()],
        first);
  }

  /** The stage {@code call} returns, or a failed one if it throws or returns null. */
  private static <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> call) {
    try {
      CompletionStage<T> stage = call.get();
      return stage != null
          ? stage
          : CompletableFuture.failedFuture(new IllegalStateException("no answer (null stage)"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null
        ? t.getCause()
        : t;
  }
}
