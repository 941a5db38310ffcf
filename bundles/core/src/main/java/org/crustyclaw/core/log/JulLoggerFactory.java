package org.crustyclaw.core.log;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerConsumer;
import org.osgi.service.log.LoggerFactory;

/**
 * An OSGi {@link LoggerFactory} writing to {@code java.util.logging}, which the daemon sends to
 * its log file. Without one, Felix SCR prints its errors (a component that failed to activate,
 * with the stack trace) to {@code System.err}, and Gogo binds {@code System.err} per thread:
 * the stack trace went to the CLI of whichever command made SCR activate the component.
 */
@Component(service = LoggerFactory.class)
public final class JulLoggerFactory implements LoggerFactory {

    @Override
    public Logger getLogger(String name) {
        return getLogger(name, Logger.class);
    }

    @Override
    public Logger getLogger(Class<?> clazz) {
        return getLogger(clazz.getName(), Logger.class);
    }

    @Override
    public <L extends Logger> L getLogger(String name, Class<L> loggerType) {
        return loggerType.cast(Proxy.newProxyInstance(JulLoggerFactory.class.getClassLoader(), new Class<?>[] {loggerType},
                new Handler(name, loggerType == FormatterLogger.class)));
    }

    @Override
    public <L extends Logger> L getLogger(Class<?> clazz, Class<L> loggerType) {
        return getLogger(clazz.getName(), loggerType);
    }

    @Override
    public <L extends Logger> L getLogger(Bundle bundle, String name, Class<L> loggerType) {
        return getLogger(bundle.getSymbolicName() + (name == null || name.isEmpty() ? "" : "." + name), loggerType);
    }

    /** The methods of {@link Logger}: {@code isXEnabled}, {@code x(...)} for trace, debug, info, warn, error, audit. */
    private static final class Handler implements InvocationHandler {
        private final String name;
        private final java.util.logging.Logger jul;
        private final boolean printf;

        Handler(String name, boolean printf) {
            this.name = name;
            this.jul = java.util.logging.Logger.getLogger(name);
            this.printf = printf;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String m = method.getName();
            switch (m) {
                case "getName":
                    return name;
                case "toString":
                    return "Logger[" + name + "]";
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    break;
            }
            boolean query = m.startsWith("is") && m.endsWith("Enabled");
            Level level = level(query ? m.substring(2, m.length() - "Enabled".length()).toLowerCase(java.util.Locale.ROOT) : m);
            if (query) {
                return jul.isLoggable(level);
            }
            if (args == null || args.length == 0 || !jul.isLoggable(level)) {
                return null;
            }
            if (args[0] instanceof LoggerConsumer<?> consumer) {
                @SuppressWarnings("unchecked")
                LoggerConsumer<Exception> c = (LoggerConsumer<Exception>) consumer;
                c.accept((Logger) proxy);
                return null;
            }
            Object[] rest = args.length == 2 && args[1] instanceof Object[] varargs ? varargs : Arrays.copyOfRange(args, 1, args.length);
            Throwable thrown = rest.length > 0 && rest[rest.length - 1] instanceof Throwable t ? t : null;
            LogRecord record = new LogRecord(level, format(String.valueOf(args[0]), rest));
            record.setLoggerName(name);
            record.setThrown(thrown);
            jul.log(record);
            return null;
        }

        private String format(String message, Object[] rest) {
            if (printf) {
                try {
                    return String.format(message, rest);
                } catch (java.util.IllegalFormatException e) {
                    return message + " " + Arrays.toString(rest);
                }
            }
            StringBuilder out = new StringBuilder();
            int next = 0;
            int at = 0;
            for (int i = message.indexOf("{}"); i >= 0; i = message.indexOf("{}", at)) {
                out.append(message, at, i);
                out.append(next < rest.length && !(rest[next] instanceof Throwable) ? String.valueOf(rest[next++]) : "{}");
                at = i + 2;
            }
            return out.append(message.substring(at)).toString();
        }

        private static Level level(String name) {
            return switch (name) {
                case "trace" -> Level.FINEST;
                case "debug" -> Level.FINE;
                case "warn" -> Level.WARNING;
                case "error" -> Level.SEVERE;
                default -> Level.INFO;
            };
        }
    }
}
