package io.switchboard.simulator.scenario;

import static io.switchboard.simulator.scenario.ScenarioFile.field;
import static io.switchboard.simulator.scenario.ScenarioFile.fields;
import static io.switchboard.simulator.scenario.ScenarioFile.isSection;
import static io.switchboard.simulator.scenario.ScenarioFile.names;
import static io.switchboard.simulator.scenario.ScenarioFile.single;
import static java.util.stream.Collectors.joining;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.switchboard.simulator.scenario.ScenarioFile.SizeRange;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.MessageInterpolator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * Binds a {@link YamlTree} to a {@link ScenarioFile} with Jackson and checks it with Bean Validation (Hibernate
 * Validator), turning every failure of either into a {@link ScenarioException} naming the file, the line (or {@code
 * --set}) and the field.
 *
 * <p>Both libraries speak of Java ("Cannot deserialize value of type `int` from String"); a user wants the field's
 * terms. So a failure is worded from what the field declares, its type and its constraints, and a bad type and a bad
 * value of one field read alike: "expected an integer in 2..1000000, got 'many'" for {@code users: many} and {@code
 * users: 1}. Constraint messages are therefore never interpolated; one written for a field is shown as it is.
 *
 * <p>Thread-safe: the mapper and the validator are configured once and shared.
 */
final class ScenarioBinder {
    private static final ObjectMapper MAPPER = mapper();
    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class)
            .configure()
            .messageInterpolator(new AsWritten())
            .buildValidatorFactory()
            .getValidator();

    private ScenarioBinder() {}

    /**
     * A field left out keeps its default; one written with no value is an error, except a section ({@code messages:},
     * {@code variants:}), which is as if left out. Text is read as the field's type, but an empty text is no number.
     */
    private static ObjectMapper mapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL, Nulls.FAIL))
                .withCoercionConfigDefaults(
                        config -> config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .addModule(new SimpleModule()
                        .addDeserializer(Duration.class, fromText(Duration.class, ScenarioFile::duration))
                        .addDeserializer(SizeRange.class, fromText(SizeRange.class, SizeRange::parse)))
                .build();
        for (Field field : fields(ScenarioFile.class)) {
            if (!single(field.getType())) {
                mapper.configOverride(field.getType()).setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.SKIP));
            }
        }
        return mapper;
    }

    /** Reads a value written as text; an {@link IllegalArgumentException} is a bad value, worded by field. */
    private static <T> FromStringDeserializer<T> fromText(Class<T> type, Function<String, T> parse) {
        return new FromStringDeserializer<>(type) {
            @Override
            protected T _deserialize(String text, DeserializationContext context) {
                return parse.apply(text);
            }
        };
    }

    /** The file's fields with their values and defaults, or the first thing in them that cannot be used. */
    static ScenarioFile bind(YamlTree tree) {
        ScenarioFile file;
        try {
            file = MAPPER.treeToValue(tree.root(), ScenarioFile.class);
        } catch (UnrecognizedPropertyException e) {
            String section = path(e.getPath().subList(0, e.getPath().size() - 1));
            throw tree.failAtKey(
                    path(e),
                    "unknown field; known fields" + (section.isEmpty() ? "" : " in '" + section + "'") + ": "
                            + String.join(", ", names(e.getReferringClass())));
        } catch (InvalidNullException e) {
            String path = path(e);
            throw tree.fail(
                    path, "no value given" + (path.endsWith("]") ? "" : " (leave the field out to use its default)"));
        } catch (MismatchedInputException e) {
            throw tree.fail(path(e), mismatch(tree, e));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ScenarioFile cannot be bound: " + e.getOriginalMessage(), e);
        }
        if (file == null) { // a document that is only a null ('~', 'null', an anchor on nothing) binds to none
            throw tree.fail(
                    "",
                    "expected a mapping of scenario fields, got "
                            + tree.spot("").shown());
        }
        VALIDATOR.validate(file).stream()
                .min(Comparator.comparingInt(
                                (ConstraintViolation<?> v) -> tree.spot(path(v)).line())
                        .thenComparing(ScenarioBinder::path))
                .ifPresent(violation -> {
                    throw tree.fail(path(violation), problem(tree, violation));
                });
        return file;
    }

    private static String mismatch(YamlTree tree, MismatchedInputException e) {
        String path = path(e);
        YamlTree.Spot spot = tree.spot(path);
        Class<?> type = e.getTargetType();
        String expected;
        if (path.isEmpty()) {
            expected = "a mapping of scenario fields";
        } else if (single(type) && spot.node().isContainerNode()) {
            expected = "a single value";
        } else if (isSection(type)) {
            expected = "a mapping of " + String.join(", ", names(type));
        } else {
            Reference last = e.getPath().get(e.getPath().size() - 1);
            Object owner = last.getFrom();
            Field field = field(owner instanceof Class<?> c ? c : owner.getClass(), last.getFieldName());
            expected = field == null ? "a single value" : expected(field);
        }
        String hint = single(type) && spot.node().isObject() && path.endsWith("]") ? " (is there a ': ' in it?)" : "";
        return "expected " + expected + ", got " + spot.shown() + hint;
    }

    private static String problem(YamlTree tree, ConstraintViolation<?> violation) {
        String template = violation.getMessageTemplate();
        if (!template.startsWith("{")) {
            return template;
        }
        String path = path(violation);
        Field field = field(violation.getLeafBean().getClass(), path.substring(path.lastIndexOf('.') + 1));
        return "expected " + expected(field) + ", got " + tree.spot(path).shown();
    }

    /** What a field takes, from its description, or its type and constraints. */
    private static String expected(Field field) {
        JsonPropertyDescription description = field.getAnnotation(JsonPropertyDescription.class);
        Class<?> type = field.getType();
        if (description != null) {
            return description.value();
        } else if (field.isAnnotationPresent(Positive.class)) {
            return "a positive integer";
        } else if (type == int.class || type == long.class) {
            Min min = field.getAnnotation(Min.class);
            return min == null
                    ? "an integer"
                    : "an integer in " + min.value() + ".."
                            + field.getAnnotation(Max.class).value();
        } else if (type == double.class) {
            DecimalMin min = field.getAnnotation(DecimalMin.class);
            String from = min.inclusive() ? "from " + min.value() + " to " : "above " + min.value() + " and at most ";
            return "a number " + from + field.getAnnotation(DecimalMax.class).value();
        } else if (type == Duration.class) {
            return field.isAnnotationPresent(DurationMin.class)
                    ? "a duration above 0 such as 500ms, 30s or 2m"
                    : "a duration such as 500ms, 5s or 2m (0 for none)";
        } else if (type == SizeRange.class) {
            return "a size N or a range MIN..MAX";
        } else if (type.isEnum()) {
            return Arrays.stream(type.getEnumConstants())
                    .map(constant -> MAPPER.convertValue(constant, String.class))
                    .collect(joining(" or "));
        }
        return "a single value";
    }

    /** {@code messages.rate}, {@code variants[0].name}: the path Jackson was at, as ConstraintViolation names it. */
    private static String path(List<Reference> references) {
        return references.stream()
                .map(at -> at.getFieldName() != null ? "." + at.getFieldName() : "[" + at.getIndex() + "]")
                .collect(joining())
                .replaceFirst("^\\.", "");
    }

    private static String path(JsonMappingException e) {
        return path(e.getPath());
    }

    private static String path(ConstraintViolation<?> violation) {
        return violation.getPropertyPath().toString();
    }

    /** Leaves a constraint's message as written; no expression language is needed. */
    private static final class AsWritten implements MessageInterpolator {
        @Override
        public String interpolate(String template, Context context) {
            return template;
        }

        @Override
        public String interpolate(String template, Context context, Locale locale) {
            return template;
        }
    }
}
