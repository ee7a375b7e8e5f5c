package dev.hpkp.watch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * The one JSON factory of the watch, for what logs send (RFC 6962 answers), log lists, and its
 * own files read back (state, alerts): reading under constraints, since a log's bytes and a file
 * on disk are both input — no deeper than 16, no string longer than a log's largest answer, no
 * number longer than 20 digits.
 */
final class WatchJson {

  static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(16)
          .maxStringLength(LogHttp.MAX_BODY_BYTES)
          .maxNumberLength(20)
          .build())
      .build();

  private WatchJson() {}
}
