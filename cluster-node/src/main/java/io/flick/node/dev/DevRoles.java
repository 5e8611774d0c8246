package io.flick.node.dev;

import io.flick.common.NodeRoles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The roles of each node of {@code ./flick dev --nodes N}: {@code --roles} or {@code
 * FLICK_DEV_ROLES} as {@code "api,entities;entities,transcode;…"} (one group per node, the first
 * being dev mode's own JVM), else a default split. Every role must be on some node, or a part of
 * Flick would silently not run.
 */
public final class DevRoles {
  static final List<String> ALL =
      List.of(
          NodeRoles.API,
          NodeRoles.ENTITIES,
          NodeRoles.TRANSCODE,
          NodeRoles.FEED,
          NodeRoles.PROJECTIONS);

  /** Entities on two nodes so a crash of either leaves shards somewhere to go. */
  private static final Map<Integer, String> DEFAULTS =
      Map.of(
          1, String.join(",", ALL),
          2, "api,entities,feed;entities,transcode,projections",
          3, "api,entities;entities,transcode;feed,transcode,projections");

  private DevRoles() {}

  /** Refuses, with a sentence saying what is wrong, anything but N valid, covering groups. */
  public static List<List<String>> parse(int nodes, Optional<String> spec) {
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes must be at least 1, not " + nodes);
    }
    String text =
        spec.filter(s -> !s.isBlank())
            .or(() -> Optional.ofNullable(DEFAULTS.get(nodes)))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "there is no default role split for "
                            + nodes
                            + " nodes; say one with --roles \"api,entities;entities,transcode;…\""));
    String[] groups = text.split(";", -1);
    if (groups.length != nodes) {
      throw new IllegalArgumentException(
          "--roles names "
              + groups.length
              + " nodes (groups separated by ';') but --nodes is "
              + nodes);
    }
    List<List<String>> result = new ArrayList<>();
    Set<String> covered = new LinkedHashSet<>();
    for (int i = 0; i < groups.length; i++) {
      List<String> roles =
          Arrays.stream(groups[i].split(",")).map(String::strip).filter(r -> !r.isEmpty()).toList();
      if (roles.isEmpty()) {
        throw new IllegalArgumentException("node " + (i + 1) + " has no role");
      }
      for (String role : roles) {
        if (!ALL.contains(role)) {
          throw new IllegalArgumentException(
              "node " + (i + 1) + ": unknown role '" + role + "' (roles: " + ALL + ")");
        }
      }
      covered.addAll(roles);
      result.add(List.copyOf(new LinkedHashSet<>(roles)));
    }
    List<String> missing = ALL.stream().filter(r -> !covered.contains(r)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("no node has the role(s) " + missing);
    }
    return result;
  }
}
