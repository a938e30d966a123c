package io.segfx.testing;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the messages logged to one logger (and its children) while open, through an appender
 * added to the running log4j configuration, so a test sees exactly what an operator's console gets.
 */
public final class LogCapture implements AutoCloseable {
  private final String logger;
  private final List<String> lines = new ArrayList<>();
  private final AbstractAppender appender;

  public LogCapture(String logger) {
    this.logger = logger;
    this.appender =
        new AbstractAppender("capture-" + logger, null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            synchronized (lines) {
              lines.add(event.getMessage().getFormattedMessage());
            }
          }
        };
    appender.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    LoggerConfig lc = config.getLoggerConfig(logger);
    if (!lc.getName().equals(logger)) {
      lc = new LoggerConfig(logger, null, true);
      lc.setParent(config.getLoggerConfig(logger));
      config.addLogger(logger, lc);
    }
    lc.addAppender(appender, null, null);
    ctx.updateLoggers();
  }

  /** The messages so far, in order. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    ctx.getConfiguration().getLoggerConfig(logger).removeAppender(appender.getName());
    ctx.updateLoggers();
    appender.stop();
  }
}
