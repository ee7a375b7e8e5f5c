package dev.hpkp.spring;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The filter's parameter names in its sentences, as the hpkp.* keys a Boot user sets. */
final class PropertyNames {

  private static final String[][] NAMES = {
      {"servedChainCheck=false", "hpkp.served-chain-check=false"},
      {"reportOnly=false", "hpkp.report-only=false"},
      {"servedChainPassword", "hpkp.served-chain-password"},
      {"servedChainAlias", "hpkp.served-chain-alias"},
      {"servedChainCheck", "hpkp.served-chain-check"},
      {"servedChain", "hpkp.served-chain"},
      {"trustStorePassword", "hpkp.trust-store-password"},
      {"trustStore", "hpkp.trust-store"},
      {"backupPins", "hpkp.backup-pins"},
      {"maxAgeSeconds", "hpkp.max-age"},
      {"includeSubDomains", "hpkp.include-subdomains"},
      {"reportUri", "hpkp.report-uri"},
      {"reportOnly", "hpkp.report-only"}};

  private PropertyNames() {}

  /**
   * {@code text} with the filter's parameter names replaced by {@code prefix}'s keys ({@code
   * hpkp.} or {@code hpkp.report-only-policy.}); "pins", also an English word, only where it
   * leads the sentence as the parameter.
   */
  static String inPropertyTerms(String text, String prefix) {
    String result = text.startsWith("pins: ") ? prefix + "pins: " + text.substring(6) : text;
    for (String[] name : NAMES) {
      // the chain settings are shared: always hpkp.*, whichever policy the sentence is about
      String key = name[1].startsWith("hpkp.served-chain") || name[1].startsWith("hpkp.trust")
          ? name[1] : name[1].replace("hpkp.", prefix);
      result = result.replaceAll("(?<![\\w.-])" + Pattern.quote(name[0]) + "(?![\\w=])",
          Matcher.quoteReplacement(key));
    }
    return result;
  }
}
