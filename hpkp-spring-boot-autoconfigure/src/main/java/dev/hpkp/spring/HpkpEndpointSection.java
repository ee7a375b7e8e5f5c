package dev.hpkp.spring;

/**
 * A part of {@code /actuator/hpkp} that an optional module adds (the CT watch), so the endpoint
 * needs none of that module's types.
 */
public interface HpkpEndpointSection {

  /** The section's key in the endpoint's answer, e.g. {@code watch}. */
  String name();

  /** The section's content: maps, lists and strings, as Actuator renders them. */
  Object describe();
}
