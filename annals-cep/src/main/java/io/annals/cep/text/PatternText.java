package io.annals.cep.text;

import io.annals.cep.Condition;
import io.annals.cep.Contiguity;
import io.annals.cep.Pattern;
import io.annals.cep.PlainCondition;
import io.annals.cep.SkipStrategy;
import io.annals.cep.Stage;
import io.annals.event.RecordedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads patterns from text, so that a node can load them from configuration:
 * <pre>
 * PATTERN SuspiciousUserActivity: UserLoginFailed{3} WITHIN 5m PARTITION BY userId SKIP PAST LAST
 * PATTERN UnconfirmedRegistration: UserRegistered -> NOT EmailConfirmed WITHIN 10m PARTITION BY stream
 * </pre>
 * Grammar (keywords in any case; {@code #} comments to the end of the line):
 * <pre>
 * text      = { pattern [";"] }
 * pattern   = "PATTERN" name ":" element { ("->" | ">>") ["NOT"] element } ["WITHIN" duration]
 *             ["PARTITION" "BY" key] ["SKIP" ("NONE" | "TO" "NEXT" | "PAST" "LAST" ["EVENT"])]
 * element   = eventType [quantity] ["[" field "=" value { "," field "=" value } "]"]
 * quantity  = "{" n "}" | "{" n "," [m] "}" | "+" | "?"
 * key       = "stream" | "tag." key | "metadata." name | dataField
 * duration  = number ("ms" | "s" | "m" | "h" | "d")
 * </pre>
 * {@code ->} is followed-by (events in between that do not fit are skipped), {@code >>} is next
 * (no event in between); {@code NOT} turns an element into an absence. The partition key
 * defaults to the stream; the skip strategy to NONE.
 */
public final class PatternText {

    private final List<Token> tokens;
    private int at;

    private PatternText(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Parses every pattern in the text. */
    public static List<PatternDefinition> parse(String text) {
        var parser = new PatternText(Lexer.tokens(text));
        var definitions = new ArrayList<PatternDefinition>();
        while (parser.peek().kind() != Token.Kind.END) {
            definitions.add(parser.pattern());
            parser.accept(";");
        }
        return definitions;
    }

    /** Parses a text that holds exactly one pattern. */
    public static PatternDefinition parseOne(String text) {
        var all = parse(text);
        if (all.size() != 1) {
            throw new PatternSyntaxException(1, 1, "exactly one PATTERN", all.size() + " patterns");
        }
        return all.getFirst();
    }

    private PatternDefinition pattern() {
        expect("PATTERN", "the keyword PATTERN");
        Token nameToken = expectWord("the pattern's name");
        expect(":", "':' after the pattern's name");
        var stages = new ArrayList<Stage<RecordedEvent>>();
        var names = new HashMap<String, Integer>();
        stages.add(element(Contiguity.RELAXED, Stage.Kind.TAKE, names));
        while (peek().is("->") || peek().is(">>")) {
            boolean strict = next().is(">>");
            Stage.Kind kind = Stage.Kind.TAKE;
            if (accept("NOT")) {
                kind = strict ? Stage.Kind.NOT_NEXT : Stage.Kind.NOT_FOLLOWED_BY;
            }
            stages.add(element(strict ? Contiguity.STRICT : Contiguity.RELAXED, kind, names));
        }
        Duration within = null;
        if (accept("WITHIN")) {
            within = duration();
        }
        PartitionKey key = new PartitionKey.Stream();
        if (accept("PARTITION")) {
            expect("BY", "BY after PARTITION");
            key = partitionKey();
        }
        SkipStrategy skip = SkipStrategy.NO_SKIP;
        if (accept("SKIP")) {
            skip = skipStrategy();
        }
        Token after = peek();
        if (after.kind() != Token.Kind.END && !after.is("PATTERN") && !after.is(";")) {
            throw error(after, "WITHIN, PARTITION BY, SKIP, '->', '>>', ';' or the next PATTERN");
        }
        try {
            return new PatternDefinition(new Pattern<>(nameToken.text(), stages, within, skip), key);
        } catch (IllegalArgumentException e) {
            throw new PatternSyntaxException(nameToken.line(), nameToken.column(), "a valid pattern", e.getMessage());
        }
    }

    private Stage<RecordedEvent> element(Contiguity contiguity, Stage.Kind kind, Map<String, Integer> names) {
        Token type = expectWord("an event type");
        int min = 1;
        int max = 1;
        Token quantity = peek();
        if (accept("{")) {
            min = number("a count");
            max = min;
            if (accept(",")) {
                max = peek().kind() == Token.Kind.NUMBER ? number("a largest count") : Stage.UNBOUNDED;
            }
            expect("}", "'}' closing the count");
        } else if (accept("+")) {
            max = Stage.UNBOUNDED;
        } else if (accept("?")) {
            min = 0;
        }
        if (kind != Stage.Kind.TAKE && (min != 1 || max != 1)) {
            throw error(quantity, "no count on a NOT element");
        }
        if (min > max || max < 1) {
            throw error(quantity, "a count range with 1 <= largest and smallest <= largest");
        }
        Condition<RecordedEvent> condition = typeIs(type.text());
        if (accept("[")) {
            do {
                Token field = expectWord("a data field name");
                expect("=", "'=' after the field name");
                Token value = next();
                if (value.kind() != Token.Kind.STRING && value.kind() != Token.Kind.NUMBER && value.kind() != Token.Kind.WORD) {
                    throw error(value, "a value: a \"string\", a number, true or false");
                }
                condition = and(condition, field.text(), value.text());
            } while (accept(","));
            expect("]", "']' closing the condition");
        }
        int seen = names.merge(type.text(), 1, Integer::sum);
        String name = seen == 1 ? type.text() : type.text() + "#" + seen;
        return new Stage<>(name, RecordedEvent.class, condition, min, max, contiguity, kind);
    }

    private static Condition<RecordedEvent> typeIs(String type) {
        return new PlainCondition<>(event -> event.type().equals(type));
    }

    private static Condition<RecordedEvent> and(Condition<RecordedEvent> condition, String field, String value) {
        var previous = (PlainCondition<RecordedEvent>) condition;
        return new PlainCondition<>(event -> previous.predicate().test(event) && EventFields.text(event, field).equals(value));
    }

    private Duration duration() {
        Token amount = peek();
        long value = number("a duration such as 5m");
        Token unit = next();
        if (unit.kind() != Token.Kind.WORD || unit.column() != amount.column() + amount.text().length()) {
            throw error(unit, "a unit right after the number: ms, s, m, h or d");
        }
        return switch (unit.text().toLowerCase(java.util.Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(value);
            case "s" -> Duration.ofSeconds(value);
            case "m" -> Duration.ofMinutes(value);
            case "h" -> Duration.ofHours(value);
            case "d" -> Duration.ofDays(value);
            default -> throw error(unit, "a unit: ms, s, m, h or d");
        };
    }

    private PartitionKey partitionKey() {
        Token key = expectWord("stream, tag.<key>, metadata.<name> or a data field");
        if (key.text().equalsIgnoreCase("stream")) {
            return new PartitionKey.Stream();
        }
        if (key.text().startsWith("tag.") && key.text().length() > "tag.".length()) {
            return new PartitionKey.TagValue(key.text().substring("tag.".length()));
        }
        if (key.text().startsWith("metadata.") && key.text().length() > "metadata.".length()) {
            return new PartitionKey.MetadataEntry(key.text().substring("metadata.".length()));
        }
        return new PartitionKey.DataField(key.text());
    }

    private SkipStrategy skipStrategy() {
        if (accept("NONE")) {
            return SkipStrategy.NO_SKIP;
        }
        if (accept("TO")) {
            expect("NEXT", "NEXT after SKIP TO");
            return SkipStrategy.SKIP_TO_NEXT;
        }
        if (accept("PAST")) {
            expect("LAST", "LAST after SKIP PAST");
            accept("EVENT");
            return SkipStrategy.SKIP_PAST_LAST_EVENT;
        }
        throw error(peek(), "NONE, TO NEXT or PAST LAST after SKIP");
    }

    private int number(String what) {
        Token token = next();
        if (token.kind() != Token.Kind.NUMBER) {
            throw error(token, what);
        }
        try {
            return Integer.parseInt(token.text());
        } catch (NumberFormatException e) {
            throw error(token, what + " below 2^31");
        }
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token next() {
        Token token = tokens.get(at);
        if (token.kind() != Token.Kind.END) {
            at++;
        }
        return token;
    }

    private boolean accept(String keyword) {
        if (peek().is(keyword)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(String keyword, String expected) {
        if (!accept(keyword)) {
            throw error(peek(), expected);
        }
    }

    private Token expectWord(String expected) {
        Token token = next();
        if (token.kind() != Token.Kind.WORD) {
            throw error(token, expected);
        }
        return token;
    }

    private static PatternSyntaxException error(Token token, String expected) {
        return new PatternSyntaxException(token.line(), token.column(), expected, token.describe());
    }
}
