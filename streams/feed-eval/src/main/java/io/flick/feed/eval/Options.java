package io.flick.feed.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line options; anything else is a {@link UsageException}. */
final class Options {
  private final Map<String, String> values = new HashMap<>();

  /** Bad command-line arguments: the command prints the message and its usage, and exits 2. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  private Options() {}

  static Options parse(List<String> args, Set<String> known) throws UsageException {
    Options options = new Options();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 2) {
        name = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else if (arg.startsWith("--") && arg.length() > 2) {
        name = arg.substring(2);
        if (i + 1 >= args.size()) {
          throw new UsageException("--" + name + " needs a value");
        }
        value = args.get(++i);
      } else {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      if (!known.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
      if (options.values.put(name, value) != null) {
        throw new UsageException("--" + name + " given twice");
      }
    }
    return options;
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String required(String name) throws UsageException {
    String value = values.get(name);
    if (value == null) {
      throw new UsageException("--" + name + " is required");
    }
    return value;
  }

  int integer(String name, int fallback, int min) throws UsageException {
    long value = longValue(name, fallback);
    if (value < min || value > Integer.MAX_VALUE) {
      throw new UsageException("--" + name + " must be an integer >= " + min);
    }
    return (int) value;
  }

  long longValue(String name, long fallback) throws UsageException {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be an integer, not '" + value + "'");
    }
  }
}
