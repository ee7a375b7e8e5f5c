package dev.hpkp.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Words to the user in which the names of settings are slots, not text: each front end fills
 * them with its own names ({@code backupPins} in web.xml, {@code hpkp.backup-pins} in Spring
 * Boot, {@code --backup} on the command line), so no front end rewrites another's sentence.
 * Immutable; {@link #toString()} uses the names as the filter's parameters spell them.
 *
 * <pre>{@code
 * Wording.text("set ").setting("reportUri").append(" to a collector, or ")
 *     .setting("reportOnly", "false").append(" to enforce")
 * }</pre>
 */
public final class Wording {

  /** How one front end names the filter's settings. */
  @FunctionalInterface
  public interface Names {
    /** The settings as the filter's init-params spell them: {@code reportOnly=false}. */
    Names AS_WRITTEN = (setting, value) -> value == null ? setting : setting + "=" + value;

    /**
     * The name of {@code setting}, or of {@code setting} set to {@code value} when {@code value}
     * is not null.
     */
    String of(String setting, String value);
  }

  private record Setting(String name, String value) {}

  private static final Wording EMPTY = new Wording(List.of());

  private final List<Object> parts;

  private Wording(List<Object> parts) {
    this.parts = parts;
  }

  /** Plain words. */
  public static Wording text(String text) {
    return EMPTY.then(Objects.requireNonNull(text, "text"));
  }

  /** These words followed by {@code text}. */
  public Wording append(String text) {
    return then((Object) Objects.requireNonNull(text, "text"));
  }

  /** These words followed by the name of {@code setting}. */
  public Wording setting(String setting) {
    return then(new Setting(Objects.requireNonNull(setting, "setting"), null));
  }

  /**
   * These words followed by {@code setting} set to {@code value}, e.g. {@code reportOnly=false}.
   */
  public Wording setting(String setting, String value) {
    return then(new Setting(Objects.requireNonNull(setting, "setting"),
        Objects.requireNonNull(value, "value")));
  }

  /** These words followed by {@code more}. */
  public Wording then(Wording more) {
    List<Object> joined = new ArrayList<>(parts);
    joined.addAll(more.parts);
    return new Wording(List.copyOf(joined));
  }

  private Wording then(Object part) {
    List<Object> joined = new ArrayList<>(parts.size() + 1);
    joined.addAll(parts);
    joined.add(part);
    return new Wording(List.copyOf(joined));
  }

  /** The words with each setting named by {@code names}. */
  public String in(Names names) {
    StringBuilder out = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof Setting setting) {
        out.append(names.of(setting.name(), setting.value()));
      } else {
        out.append((String) part);
      }
    }
    return out.toString();
  }

  /** The words with the settings named as the filter's parameters spell them. */
  @Override
  public String toString() {
    return in(Names.AS_WRITTEN);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Wording wording && parts.equals(wording.parts);
  }

  @Override
  public int hashCode() {
    return parts.hashCode();
  }
}
