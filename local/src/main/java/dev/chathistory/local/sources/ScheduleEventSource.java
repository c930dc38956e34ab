package dev.chathistory.local.sources;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.local.functions.LocalFunction;
import dev.chathistory.local.template.UnsupportedTemplateException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Schedule} or {@code ScheduleV2} event: fires the function on its
 * {@code rate(...)}, {@code cron(...)} or {@code at(...)} expression, and on demand. The event
 * is the schedule's {@code Input} when it has one, otherwise a scheduled-event JSON like the
 * one EventBridge sends.
 */
public final class ScheduleEventSource implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(ScheduleEventSource.class.getName());
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+)\\s+(minute|minutes|hour|hours|day|days)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");
    private static final Pattern AT = Pattern.compile("at\\((.+)\\)");
    /** EventBridge's six-field cron: minutes hours day-of-month month day-of-week year. */
    private static final CronDefinition AWS_CRON = CronDefinitionBuilder.defineCron()
            .withMinutes().withValidRange(0, 59).and()
            .withHours().withValidRange(0, 23).and()
            .withDayOfMonth().withValidRange(1, 31).supportsL().supportsW().supportsLW().supportsQuestionMark().and()
            .withMonth().withValidRange(1, 12).and()
            .withDayOfWeek().withValidRange(1, 7).withMondayDoWValue(2).supportsHash().supportsL()
            .supportsQuestionMark().and()
            .withYear().withValidRange(1970, 2199).and()
            .instance();

    private final String name;
    private final String expression;
    private final ZoneId zone;
    private final LocalFunction function;
    private final JsonNode input;
    private final ScheduledExecutorService timer;
    private volatile ScheduledFuture<?> next;
    private volatile boolean closed;

    private ScheduleEventSource(String name, String expression, ZoneId zone, LocalFunction function, JsonNode input,
                                ScheduledExecutorService timer) {
        this.name = name;
        this.expression = expression;
        this.zone = zone;
        this.function = function;
        this.input = input;
        this.timer = timer;
    }

    /**
     * @param properties the event's properties from the template, intrinsics resolved
     * @param enabled    false to fire only on demand
     */
    public static ScheduleEventSource start(String name, String type, JsonNode properties, LocalFunction function,
                                            ScheduledExecutorService timer, boolean enabled) {
        String expression = properties.path("ScheduleV2".equals(type) ? "ScheduleExpression" : "Schedule").asText();
        ZoneId zone = ZoneId.of(properties.path("ScheduleExpressionTimezone").asText("UTC"));
        JsonNode input = null;
        if (properties.hasNonNull("Input")) {
            try {
                input = JSON.readTree(properties.get("Input").asText());
            } catch (java.io.IOException e) {
                throw new UnsupportedTemplateException(name + ": Input is not JSON");
            }
        }
        boolean declaredOn = !"DISABLED".equals(properties.path("State").asText("ENABLED"))
                && properties.path("Enabled").asBoolean(true);
        ScheduleEventSource source = new ScheduleEventSource(name, expression, zone, function, input, timer);
        source.nextFireTime(Instant.now());
        if (enabled && declaredOn) {
            source.scheduleNext();
        }
        return source;
    }

    public String expression() {
        return expression;
    }

    /** Fires now, synchronously; returns what the function returned. */
    public String fire() {
        return function.invoke(event().toString(), LocalFunction.InvocationType.EVENT);
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> pending = next;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private void scheduleNext() {
        Optional<Instant> when = nextFireTime(Instant.now());
        if (closed || when.isEmpty()) {
            return;
        }
        long delay = Math.max(0, Duration.between(Instant.now(), when.get()).toMillis());
        next = timer.schedule(() -> {
            try {
                fire();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "schedule " + name + ": " + e.getMessage());
            }
            scheduleNext();
        }, delay, TimeUnit.MILLISECONDS);
    }

    private Optional<Instant> nextFireTime(Instant now) {
        return nextFireTime(name, expression, zone, now);
    }

    /** The next time after {@code now}; empty for a one-time schedule already past. */
    static Optional<Instant> nextFireTime(String name, String expression, ZoneId zone, Instant now) {
        Matcher rate = RATE.matcher(expression);
        if (rate.matches()) {
            long amount = Long.parseLong(rate.group(1));
            Duration period = switch (rate.group(2)) {
                case "minute", "minutes" -> Duration.ofMinutes(amount);
                case "hour", "hours" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return Optional.of(now.plus(period));
        }
        Matcher cron = CRON.matcher(expression);
        if (cron.matches()) {
            Cron parsed = new CronParser(AWS_CRON).parse(cron.group(1));
            return ExecutionTime.forCron(parsed).nextExecution(ZonedDateTime.ofInstant(now, zone))
                    .map(ZonedDateTime::toInstant);
        }
        Matcher at = AT.matcher(expression);
        if (at.matches()) {
            Instant when = LocalDateTime.parse(at.group(1), DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(zone)
                    .toInstant();
            return when.isAfter(now) ? Optional.of(when) : Optional.empty();
        }
        throw new UnsupportedTemplateException("schedule " + name + ": cannot read expression '" + expression + "'");
    }

    private JsonNode event() {
        if (input != null) {
            return input;
        }
        ObjectNode event = JSON.createObjectNode()
                .put("version", "0")
                .put("id", UUID.randomUUID().toString())
                .put("detail-type", "Scheduled Event")
                .put("source", "aws.scheduler")
                .put("account", "000000000000")
                .put("time", DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(
                        java.time.temporal.ChronoUnit.SECONDS)))
                .put("region", function.environment().getOrDefault("AWS_REGION", "us-east-1"));
        event.putArray("resources").add("arn:aws:scheduler:local:000000000000:schedule/default/"
                + name.toLowerCase(Locale.ROOT));
        event.putObject("detail");
        return event;
    }
}
