package io.flick.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The month partitions a period reads: every day once, none outside it. */
class StudioTablesTest {
  @Test
  void aPeriodReadsEachOfItsMonthsOverExactlyItsDays() {
    // 60 days and the 60 before them, ending 2026-12-06: August 9 to December 6
    LocalDate last = LocalDate.of(2026, 12, 6);
    LocalDate first = last.minusDays(119);
    List<LocalDate[]> months = StudioTables.months(first, last);

    assertThat(months).hasSize(5);
    assertThat(months.get(0))
        .containsExactly(LocalDate.of(2026, 8, 1), first, LocalDate.of(2026, 8, 31));
    assertThat(months.get(1))
        .containsExactly(
            LocalDate.of(2026, 9, 1), LocalDate.of(2026, 9, 1), LocalDate.of(2026, 9, 30));
    assertThat(months.get(4))
        .containsExactly(LocalDate.of(2026, 12, 1), LocalDate.of(2026, 12, 1), last);
    long days = 0;
    LocalDate next = first;
    for (LocalDate[] m : months) {
      assertThat(m[1]).isEqualTo(next);
      assertThat(m[1].withDayOfMonth(1)).isEqualTo(m[0]);
      assertThat(m[2].withDayOfMonth(1)).isEqualTo(m[0]);
      days += m[1].datesUntil(m[2].plusDays(1)).count();
      next = m[2].plusDays(1);
    }
    assertThat(days).isEqualTo(120);
    assertThat(next).isEqualTo(last.plusDays(1));
  }

  @Test
  void aPeriodWithinOneMonthIsOneRead() {
    LocalDate day = LocalDate.of(2026, 2, 28);
    assertThat(StudioTables.months(day.minusDays(6), day))
        .singleElement()
        .satisfies(
            m -> assertThat(m).containsExactly(day.withDayOfMonth(1), day.minusDays(6), day));
  }
}
