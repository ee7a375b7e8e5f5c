package dev.hpkp.spring;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code hpkp.collector.*}: the report collector, mapped at {@code path} when enabled. Each other
 * key is the collector's init-param of the same meaning (README, "Collecting violation
 * reports"); unset ones keep the collector's defaults. Numbers are kept as text and checked by
 * the collector's own rules (ASCII digits, a range, the unit in the message), as in web.xml:
 * Boot's own Long conversion would accept other digits. So that IDEs still see their types and
 * defaults, the numeric keys have setters only (the metadata processor skips them) and are
 * declared in {@code META-INF/additional-spring-configuration-metadata.json}. The collector
 * belongs on the host the report-uri names, not on the pinned one.
 */
public class CollectorProperties {

  /** Whether to map HpkpReportServlet (needs dev.hpkp:hpkp-collector on the class path). */
  private boolean enabled;

  /** Where the collector listens. */
  private String path = "/hpkp-report";

  /** Where reports go: log, jsonl, or a ReportSink class name; a comma-separated list. */
  private String sink;

  /** The JSON-lines file of the jsonl sink. */
  private String file;

  /** Size at which the JSON-lines file is rotated, in bytes. */
  private String fileMaxBytes;

  /** How many rotated files to keep. */
  private String fileKeep;

  /** The largest report body accepted, in bytes. */
  private String maxBodyBytes;

  /** Reports per second per client address (0 switches the limit off). */
  private String ratePerSecond;

  /** Reports a client address may send at once before the rate applies. */
  private String rateBurst;

  /** Requests received or processed at once; more get 429. */
  private String maxConcurrent;

  /** The longest certificate chain accepted in a report. */
  private String maxChainLength;

  /** How long an admitted body may take to arrive, in milliseconds (then 408). */
  private String bodyTimeoutMillis;

  /** The init-params of the settings that are set. */
  Map<String, String> initParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    put(parameters, "sink", sink);
    put(parameters, "file", file);
    put(parameters, "fileMaxBytes", fileMaxBytes);
    put(parameters, "fileKeep", fileKeep);
    put(parameters, "maxBodyBytes", maxBodyBytes);
    put(parameters, "ratePerSecond", ratePerSecond);
    put(parameters, "rateBurst", rateBurst);
    put(parameters, "maxConcurrent", maxConcurrent);
    put(parameters, "maxChainLength", maxChainLength);
    put(parameters, "bodyTimeoutMillis", bodyTimeoutMillis);
    return parameters;
  }

  private static void put(Map<String, String> parameters, String name, Object value) {
    if (value != null) {
      parameters.put(name, value.toString());
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getSink() {
    return sink;
  }

  public void setSink(String sink) {
    this.sink = sink;
  }

  public String getFile() {
    return file;
  }

  public void setFile(String file) {
    this.file = file;
  }

  public void setFileMaxBytes(String fileMaxBytes) {
    this.fileMaxBytes = fileMaxBytes;
  }

  public void setFileKeep(String fileKeep) {
    this.fileKeep = fileKeep;
  }

  public void setMaxBodyBytes(String maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  public void setRatePerSecond(String ratePerSecond) {
    this.ratePerSecond = ratePerSecond;
  }

  public void setRateBurst(String rateBurst) {
    this.rateBurst = rateBurst;
  }

  public void setMaxConcurrent(String maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
  }

  public void setMaxChainLength(String maxChainLength) {
    this.maxChainLength = maxChainLength;
  }

  public void setBodyTimeoutMillis(String bodyTimeoutMillis) {
    this.bodyTimeoutMillis = bodyTimeoutMillis;
  }
}
