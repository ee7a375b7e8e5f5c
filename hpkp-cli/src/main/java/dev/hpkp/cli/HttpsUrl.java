package dev.hpkp.cli;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one rule for an https:// URL argument (check, fetch): a URI with the https scheme and a
 * host, since pins apply to HTTPS only. Used as {@code @Parameters(converter = HttpsUrl.class)}.
 */
final class HttpsUrl implements ITypeConverter<URI> {

  @Override
  public URI convert(String value) {
    try {
      URI url = new URI(value);
      if ("https".equalsIgnoreCase(url.getScheme()) && url.getHost() != null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // said below
    }
    throw new TypeConversionException("'" + value + "' is not an https:// URL; pins apply to"
        + " HTTPS only (user agents ignore pinning headers on plain HTTP)");
  }
}
