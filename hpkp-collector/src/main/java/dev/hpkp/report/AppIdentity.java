package dev.hpkp.report;

/**
 * What a mobile app's pinning library says about the app and its check, beside RFC 7469's
 * fields: TrustKit (iOS, macOS, tvOS, watchOS) and TrustKit-Android send it with each report.
 * The app's vendor id identifies a device and is never kept. Every field may be null.
 *
 * @param bundleId {@code app-bundle-id}: the iOS bundle id or Android package name
 * @param version {@code app-version}
 * @param platform {@code app-platform}: {@code IOS}, {@code ANDROID}, …
 * @param platformVersion {@code app-platform-version}
 * @param trustkitVersion {@code trustkit-version}
 * @param enforcePinning {@code enforce-pinning}: whether the app blocked the connection
 * @param validationResult {@code validation-result}: TrustKit's result code
 */
public record AppIdentity(String bundleId, String version, String platform,
    String platformVersion, String trustkitVersion, Boolean enforcePinning,
    Integer validationResult) {

  /**
   * TrustKit's names of its validation results ({@code TSKTrustEvaluationResult} on iOS, {@code
   * PinningValidationResult} on Android: the same order, so the same codes).
   */
  private static final String[] RESULTS = {"success", "failed-no-matching-pin",
      "failed-invalid-certificate-chain", "error-invalid-parameters",
      "failed-user-defined-trust-anchor", "error-could-not-generate-spki-hash"};

  /** The validation result's TrustKit name, e.g. {@code failed-no-matching-pin}; null if none. */
  public String validationResultName() {
    if (validationResult == null) {
      return null;
    }
    return validationResult >= 0 && validationResult < RESULTS.length
        ? RESULTS[validationResult] : "unknown-" + validationResult;
  }

  /** {@code bundle-id (PLATFORM version)}, as summaries name an app. */
  public String describe() {
    return (bundleId == null ? "(no bundle id)" : bundleId) + " ("
        + (platform == null ? "?" : platform) + " " + (version == null ? "?" : version) + ")";
  }
}
