package dev.hpkp.benchmarks;

import dev.hpkp.client.FilePinStore;
import dev.hpkp.client.HpkpAgent;
import dev.hpkp.client.InMemoryPinStore;
import dev.hpkp.client.Observation;
import dev.hpkp.client.PinStore;
import dev.hpkp.client.PinnedHost;
import dev.hpkp.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Noting a new host with 100,000 hosts already in the store (#23 defect 3): each note is a
 * {@code Public-Key-Pins} header from a host not seen before, over a validated chain, so it is
 * judged, put, expired entries are pruned and, the store being at its bound, the host whose pins
 * expire soonest is evicted. In memory and in a file (one appended, fdatasync'd line a note).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PinStoreBenchmark {

  static final int HOSTS = 100_000;

  @Param({"memory", "file"})
  public String store;

  private HpkpAgent agent;
  private List<X509Certificate> served;
  private List<String> header;
  private long next;
  private Path dir;

  @Setup(Level.Trial)
  public void fill() throws Exception {
    TestPki pki = TestPki.localhost();
    served = List.of(pki.leaf(), pki.intermediate());
    header = List.of(pki.leafPin().toDirective() + "; " + pki.backupPin().toDirective()
        + "; max-age=5184000; report-uri=\"https://reports.example.net/hpkp\"");
    dir = Files.createTempDirectory("pin-store-benchmark");
    PinStore pins = store.equals("file") ? FilePinStore.open(dir.resolve("pins.json"))
        : new InMemoryPinStore();
    Instant now = Instant.now();
    for (int i = 0; i < HOSTS; i++) {
      pins.put(new PinnedHost("filled-" + i + ".example", Set.of(pki.leafPin(), pki.backupPin()),
          false, now, now.plusSeconds(86_400 + i), "https://reports.example.net/hpkp",
          PinnedHost.Source.NOTED));
    }
    agent = HpkpAgent.builder().store(pins).maxHosts(HOSTS)
        .trustManager(TestPki.trustManager(pki.root())).build();
  }

  @Benchmark
  public Observation noteANewHost() {
    Observation observation = agent.observe("new-" + next++ + ".example", 443, served, header,
        List.of());
    if (observation.noting() != Observation.Noting.NOTED) {
      throw new IllegalStateException(observation.detail());
    }
    return observation;
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    int size = agent.store().size();
    agent.close();
    if (size != HOSTS) {
      throw new IllegalStateException("the store holds " + size + " hosts, not " + HOSTS);
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
