package dev.hpkp.spring;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code hpkp.collector.*}: the report collector, mapped at {@code path} when enabled. Each other
 * key is the collector's init-param of the same meaning (README, "Collecting violation
 * reports"); unset ones keep the collector's defaults. The collector belongs on the host the
 * report-uri names, not on the pinned one.
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
  private Long fileMaxBytes;

  /** How many rotated files to keep. */
  private Integer fileKeep;

  /** The largest report body accepted, in bytes. */
  private Integer maxBodyBytes;

  /** Reports per second per client address (0 switches the limit off). */
  private Long ratePerSecond;

  /** Reports a client address may send at once before the rate applies. */
  private Long rateBurst;

  /** Requests processed at once; more get 503. */
  private Integer maxConcurrent;

  /** The longest certificate chain accepted in a report. */
  private Integer maxChainLength;

  /** How long an admitted body may take to arrive, in milliseconds (then 408). */
  private Long bodyTimeoutMillis;

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

  public Long getFileMaxBytes() {
    return fileMaxBytes;
  }

  public void setFileMaxBytes(Long fileMaxBytes) {
    this.fileMaxBytes = fileMaxBytes;
  }

  public Integer getFileKeep() {
    return fileKeep;
  }

  public void setFileKeep(Integer fileKeep) {
    this.fileKeep = fileKeep;
  }

  public Integer getMaxBodyBytes() {
    return maxBodyBytes;
  }

  public void setMaxBodyBytes(Integer maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  public Long getRatePerSecond() {
    return ratePerSecond;
  }

  public void setRatePerSecond(Long ratePerSecond) {
    this.ratePerSecond = ratePerSecond;
  }

  public Long getRateBurst() {
    return rateBurst;
  }

  public void setRateBurst(Long rateBurst) {
    this.rateBurst = rateBurst;
  }

  public Integer getMaxConcurrent() {
    return maxConcurrent;
  }

  public void setMaxConcurrent(Integer maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
  }

  public Integer getMaxChainLength() {
    return maxChainLength;
  }

  public void setMaxChainLength(Integer maxChainLength) {
    this.maxChainLength = maxChainLength;
  }

  public Long getBodyTimeoutMillis() {
    return bodyTimeoutMillis;
  }

  public void setBodyTimeoutMillis(Long bodyTimeoutMillis) {
    this.bodyTimeoutMillis = bodyTimeoutMillis;
  }
}
