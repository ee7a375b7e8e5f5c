package dev.hpkp.spring;

import dev.hpkp.config.Parameters;
import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * The {@code hpkp.*} keys an application sets, checked before anything is bound: a misspelt key
 * stops the application with the key it most likely means, and keys of a policy that is off
 * (no {@code hpkp.pins}, so no header) stop it too, instead of starting silently unprotected.
 */
final class HpkpKeys {

  private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("hpkp");

  /** Every key of {@link HpkpProperties}, dashed, read from the class itself. */
  static final List<String> KNOWN = known("hpkp", HpkpProperties.class);

  private HpkpKeys() {}

  /** Null when the keys are fine or hpkp.enabled=false; otherwise the refusal. */
  static HpkpStartupException check(Environment environment) {
    Binder binder = Binder.get(environment);
    Boolean enabled = binder.bind("hpkp.enabled", Boolean.class).orElse(null);
    if (Boolean.FALSE.equals(enabled)) {
      return null;
    }
    Set<ConfigurationPropertyName> present = present(environment);
    for (ConfigurationPropertyName name : present) {
      if (!isKnown(name)) {
        String key = name.toString();
        String nearest = Parameters.nearest(key, KNOWN).orElse(null);
        return new HpkpStartupException(key + ": not a key of hpkp-filter's starter"
            + (nearest == null ? "" : "; did you mean " + nearest + "?"),
            nearest != null ? "Rename " + key + " to " + nearest
                : "Remove " + key + "; the hpkp.* keys are listed in the README's Spring Boot"
                    + " section and in the IDE's completion", null);
      }
    }
    if (binder.bind("hpkp.watch.enabled", Boolean.class).orElse(false)
        && !present("dev.hpkp.watch.CtWatcher")) {
      return new HpkpStartupException("hpkp.watch.enabled is true, but dev.hpkp:hpkp-watch is"
          + " not on the class path, so no CT log would be watched", "Add the dependency"
          + " dev.hpkp:hpkp-watch, or remove hpkp.watch.enabled", null);
    }
    boolean pins = binder.bind("hpkp.pins", String[].class).map(p -> p.length > 0)
        .orElse(false);
    if (!pins && !Boolean.TRUE.equals(enabled)) {
      for (ConfigurationPropertyName name : present) {
        String key = name.toString();
        if (!key.startsWith("hpkp.collector.") && !key.equals("hpkp.enabled")) {
          return new HpkpStartupException(key + " is set, but hpkp.pins is not, so this"
              + " application sends no pinning header",
              "Set hpkp.pins to the pins of the keys the site serves, or set hpkp.enabled=false"
                  + " to keep the hpkp.* keys and send nothing", null);
        }
      }
    }
    return null;
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, HpkpKeys.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static boolean isKnown(ConfigurationPropertyName name) {
    for (String key : KNOWN) {
      ConfigurationPropertyName known = ConfigurationPropertyName.of(key);
      // hpkp.pins[0] is hpkp.pins; hpkp.collector alone (an empty YAML map) names a group
      if (known.equals(name) || known.isAncestorOf(name) || name.isAncestorOf(known)) {
        return true;
      }
    }
    return false;
  }

  private static Set<ConfigurationPropertyName> present(Environment environment) {
    Set<ConfigurationPropertyName> names = new LinkedHashSet<>();
    if (!(environment instanceof ConfigurableEnvironment e)) {
      return names;
    }
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(e)) {
      if (source instanceof IterableConfigurationPropertySource iterable) {
        iterable.filter(ROOT::isAncestorOf).forEach(names::add);
      }
    }
    return names;
  }

  private static List<String> known(String prefix, Class<?> type) {
    List<String> keys = new ArrayList<>();
    for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
      if (property.getWriteMethod() == null) {
        continue;
      }
      String key = prefix + "." + DataObjectPropertyName.toDashedForm(property.getName());
      Class<?> propertyType = property.getPropertyType();
      if (propertyType.getPackageName().equals(HpkpKeys.class.getPackageName())) {
        keys.addAll(known(key, propertyType));
      } else {
        keys.add(key);
      }
    }
    return List.copyOf(keys);
  }
}
