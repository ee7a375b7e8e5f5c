package dev.hpkp.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hpkp.watch.*}: watch Certificate Transparency logs with the pins of {@code hpkp.pins}
 * and {@code hpkp.backup-pins} as the legitimate keys (needs dev.hpkp:hpkp-watch on the class
 * path). The hosts are the served leaf's DNS names unless {@code hosts} names them.
 */
public class WatchProperties {

  /** Whether to watch CT logs on a background thread. */
  private boolean enabled;

  /** The logs, one by one. */
  private List<Log> logs = new ArrayList<>();

  /** A log list in Chrome's log_list.json format (v3), a file or an https:// URL. */
  private String logList;

  /** The hosts to watch; default: the served leaf's DNS names. */
  private List<String> hosts = new ArrayList<>();

  /** Where each log's position and the alerts file (alerts.jsonl) are kept. */
  private String state = "hpkp-watch";

  /** A program run for each alert (JSON on stdin, HPKP_* variables), without a shell. */
  private List<String> hook = new ArrayList<>();

  /** Time between rounds, from 1s to 1d. */
  private Duration interval = Duration.ofSeconds(60);

  /** Whether a log without state is read from its first entry instead of its end. */
  private boolean fromStart;

  /**
   * The entry a log without state is read from, instead of its end (not with from-start). Kept
   * as text and read in ASCII digits, as the CLI's --from-index: Boot's Long conversion would
   * take other scripts' digits. Setter only, declared in the additional metadata.
   */
  private String fromIndex;

  /** One CT log. */
  public static class Log {

    /** The log's URL: a Static CT API monitoring prefix, or an RFC 6962 URL. */
    private String url;

    /** The log's public key: base64 DER (as log lists carry it), or a PEM file. */
    private String key;

    /** The API the log serves: static or rfc6962. */
    private String api = "static";

    /** A Static API log's submission prefix, which names it in its checkpoints (default: url). */
    private String submission;

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public String getApi() {
      return api;
    }

    public void setApi(String api) {
      this.api = api;
    }

    public String getSubmission() {
      return submission;
    }

    public void setSubmission(String submission) {
      this.submission = submission;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public List<Log> getLogs() {
    return logs;
  }

  public void setLogs(List<Log> logs) {
    this.logs = logs;
  }

  public String getLogList() {
    return logList;
  }

  public void setLogList(String logList) {
    this.logList = logList;
  }

  public List<String> getHosts() {
    return hosts;
  }

  public void setHosts(List<String> hosts) {
    this.hosts = hosts;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public List<String> getHook() {
    return hook;
  }

  public void setHook(List<String> hook) {
    this.hook = hook;
  }

  public Duration getInterval() {
    return interval;
  }

  public void setInterval(Duration interval) {
    this.interval = interval;
  }

  public boolean isFromStart() {
    return fromStart;
  }

  public void setFromStart(boolean fromStart) {
    this.fromStart = fromStart;
  }

  String fromIndex() {
    return fromIndex;
  }

  public void setFromIndex(String fromIndex) {
    this.fromIndex = fromIndex;
  }
}
