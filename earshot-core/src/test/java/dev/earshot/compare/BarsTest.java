package dev.earshot.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's bars, read from a report: method against its scratch model, best method against log-mel. */
class BarsTest {
  private static Map<String, Score> scores(double frozen, double finetune) {
    return Map.of("frozen", new Score("accuracy", frozen, 0), "finetune", new Score("accuracy", finetune, 0));
  }

  @Test
  void everyMethodAgainstItsScratchModelAndTheBestAgainstTheBaseline() {
    Plan plan = new Plan(List.of("ssast", "eat", "scratch", "logmel"), "unlabeled:pool",
        List.of(Task.parse("a=folder:a"), Task.parse("b=folder:b")), "micro", 96, null, 10, 1, 7, 1,
        List.of(Evaluation.FROZEN, Evaluation.FINETUNE));
    Row ssast = new Row("ssast", "ssast-micro-patch", 10, 1, Map.of("a", scores(0.6, 0.7), "b", scores(0.3, 0.4)),
        List.of());
    Row eat = new Row("eat", "eat-micro", 10, 1, Map.of("a", scores(0.5, 0.9), "b", scores(0.2, 0.2)), List.of());
    Row scratchSsast = new Row("scratch", "ssast-micro-patch", 0, 0, Map.of("a", scores(0.5, 0.6),
        "b", scores(0.35, 0.3)), List.of());
    Row scratchEat = new Row("scratch", "eat-micro", 0, 0, Map.of("a", scores(0.4, 0.5), "b", scores(0.1, 0.1)),
        List.of());
    Row logmel = new Row("logmel", "log-mel mean+std", 0, 0, Map.of("a", Map.of("frozen",
        new Score("accuracy", 0.8, 0)), "b", Map.of("frozen", new Score("accuracy", 0.45, 0))), List.of());
    List<Bars.Bar> bars = Bars.of(new Report(plan, List.of("0", "1"), List.of(ssast, eat, scratchSsast, scratchEat,
        logmel)));
    assertThat(bars).hasSize(2 * 2 * 2 + 2);
    assertThat(bars).filteredOn(b -> !b.met()).extracting(Bars.Bar::name).containsExactly(
        "ssast > scratch-ssast-micro-patch on b, frozen clip", "best method > logmel on b");
    assertThat(bars).filteredOn(b -> b.name().equals("best method > logmel on a")).extracting(Bars.Bar::detail)
        .containsExactly("eat fine-tune 90.0 vs logmel 80.0");
    assertThat(Bars.markdown(bars)).startsWith("Bars met: 8 of 10").contains("- [ ] best method > logmel on b: "
        + "ssast fine-tune 40.0 vs logmel 45.0");
  }
}
