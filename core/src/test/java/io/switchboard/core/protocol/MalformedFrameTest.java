package io.switchboard.core.protocol;

import static io.switchboard.core.protocol.Frames.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every violation of the contract is a {@link ProtocolException} with {@code BAD_FRAME} and a message that names
 * the field and the problem. Inputs are written with {@code '} for {@code "} to stay readable.
 */
class MalformedFrameTest {
    private static final String ID_RANGE = "expected an integer in 1..9007199254740991";
    private static final String TS_RANGE = "expected an integer in 0..9007199254740991";
    private static final String HELLO = "'t':'hello','device':1,'token':'tok'";
    private static final String ENV = "'env':[{'device':1,'type':'msg','body':'aGk='}]";

    static Stream<Arguments> malformedFrames() {
        return Stream.of(
                // Not one JSON object.
                bad("empty input", "", "empty frame"),
                bad("whitespace only", " \n\t ", "empty frame"),
                bad("not JSON", "hello", "frame must be a JSON object"),
                bad("array at top", "[{'t':'ping'}]", "frame must be a JSON object"),
                bad("string at top", "'ping'", "frame must be a JSON object"),
                bad("trailing garbage", "{'t':'ping'}x", "unexpected data after the frame object at offset 12"),
                bad("two objects", "{'t':'ping'} {'t':'ping'}", "unexpected data after the frame object"),
                bad("truncated after a value", "{'t':'hello','user':1", "unexpected end of input"),
                bad("truncated in a string", "{'t':'hel", "unterminated string"),
                bad("truncated after a colon", "{'t':'ping','x':", "field 'x': unexpected end of input"),
                bad("missing colon", "{'t' 'ping'}", "expected ':'"),
                bad("missing comma", "{'t':'ping' 'x':1}", "expected ',' or '}'"),
                bad("trailing comma", "{'t':'ping',}", "expected a key"),
                bad("unquoted key", "{t:'ping'}", "expected a key or '}'"),
                badRaw("single quotes", "{'t':'ping'}", "expected a key or '}'"),
                bad("comment", "{'t':'ping' /* hi */}", "expected ',' or '}'"),
                // The type.
                bad("empty object", "{}", "missing field 't'"),
                bad("missing t", "{'user':1,'device':1}", "missing field 't'"),
                bad("t not a string", "{'t':1}", "field 't': expected a string"),
                bad("t null", "{'t':null}", "field 't': expected a string"),
                bad("t an object", "{'t':{'x':1}}", "field 't': expected a string"),
                bad("unknown t", "{'t':'foo'}", "unknown frame type 'foo'"),
                bad("t in the wrong case", "{'t':'PING'}", "unknown frame type 'PING'"),
                bad("duplicate t", "{'t':'ping','t':'ping'}", "field 't': duplicate key"),
                bad("duplicate t, not first", "{'x':1,'t':'ping','t':'pong'}", "field 't': duplicate key"),
                // Required fields.
                bad("hello without user", "{'t':'hello','device':1,'token':'tok'}", "missing field 'user' for 'hello'"),
                bad(
                        "hello without device",
                        "{'t':'hello','user':1,'token':'tok'}",
                        "missing field 'device' for 'hello'"),
                bad("send without id", "{'t':'send','to':{'user':2}," + ENV + "}", "missing field 'id' for 'send'"),
                bad("send without to", "{'t':'send','id':1," + ENV + "}", "missing field 'to' for 'send'"),
                bad("send without env", "{'t':'send','id':1,'to':{'user':2}}", "missing field 'env' for 'send'"),
                bad("recv without seq", "{'t':'recv'}", "missing field 'seq' for 'recv'"),
                bad("read without from", "{'t':'read','ids':[1]}", "missing field 'from' for 'read'"),
                bad("read without ids", "{'t':'read','from':{'user':1,'device':1}}", "missing field 'ids' for 'read'"),
                bad(
                        "read from without device",
                        "{'t':'read','from':{'user':1},'ids':[1]}",
                        "missing field 'device' of 'from'"),
                bad(
                        "msg without body",
                        "{'t':'msg','seq':1,'id':1,'from':{'user':1,'device':1},'type':'msg','ts':1}",
                        "missing field 'body' for 'msg'"),
                bad("error without code", "{'t':'error','message':'x'}", "missing field 'code' for 'error'"),
                bad(
                        "group.create without members",
                        "{'t':'group.create','req':1,'group':'g1'}",
                        "missing field 'members' for 'group.create'"),
                bad("typing without on", "{'t':'typing','to':{'user':1}}", "missing field 'on' for 'typing'"),
                bad("typing with neither to nor from", "{'t':'typing','on':true}", "missing field 'to' for 'typing'"),
                bad(
                        "typing with to and from",
                        "{'t':'typing','to':{'user':1},'from':{'user':2},'on':true}",
                        "fields 'to' and 'from' are exclusive for 'typing'"),
                bad("null for a required field", "{'t':'recv','seq':null}", "field 'seq': expected an integer"),
                // Integers.
                bad("quoted id", "{" + HELLO + ",'user':'42'}", "field 'user': " + ID_RANGE),
                bad("negative id", "{" + HELLO + ",'user':-1}", "field 'user': " + ID_RANGE),
                bad("negative zero", "{" + HELLO + ",'user':-0}", "field 'user': " + ID_RANGE),
                bad("zero id", "{" + HELLO + ",'user':0}", "field 'user': " + ID_RANGE),
                bad("fractional id", "{" + HELLO + ",'user':1.5}", "field 'user': " + ID_RANGE),
                bad("integral fraction", "{" + HELLO + ",'user':1.0}", "field 'user': " + ID_RANGE),
                bad("exponent id", "{" + HELLO + ",'user':1e3}", "field 'user': " + ID_RANGE),
                bad("leading zero", "{" + HELLO + ",'user':042}", "field 'user': " + ID_RANGE),
                bad("plus sign", "{" + HELLO + ",'user':+42}", "field 'user': " + ID_RANGE),
                bad("2^53", "{" + HELLO + ",'user':9007199254740992}", "field 'user': " + ID_RANGE),
                bad("overflowing long", "{" + HELLO + ",'user':18446744073709551617}", "field 'user': " + ID_RANGE),
                bad("boolean id", "{" + HELLO + ",'user':true}", "field 'user': " + ID_RANGE),
                bad(
                        "device 0",
                        "{'t':'hello','user':1,'device':0,'token':'tok'}",
                        "field 'device': expected an integer in 1..63"),
                bad(
                        "device 64",
                        "{'t':'hello','user':1,'device':64,'token':'tok'}",
                        "field 'device': expected an integer in 1..63"),
                bad("negative ts", "{'t':'pong','ts':-5}", "field 'ts': expected an integer in 0..9007199254740991"),
                // Where 0 is in range, a number read as 0 instead of refused would pass: ts takes 0.
                bad("leading zero ts", "{'t':'pong','ts':05}", "field 'ts': " + TS_RANGE),
                bad("fraction ts", "{'t':'pong','ts':5.5}", "field 'ts': " + TS_RANGE),
                bad("exponent ts", "{'t':'pong','ts':5e3}", "field 'ts': " + TS_RANGE),
                bad("2^53 ts", "{'t':'pong','ts':9007199254740992}", "field 'ts': " + TS_RANGE),
                bad("overflowing long ts", "{'t':'pong','ts':18446744073709551617}", "field 'ts': " + TS_RANGE),
                bad("quoted seq", "{'t':'recv','seq':'1'}", "field 'seq': " + ID_RANGE),
                bad(
                        "duplicate key",
                        "{'t':'hello','user':1,'user':2,'device':1,'token':'tok'}",
                        "field 'user': duplicate key"),
                bad(
                        "duplicate key with null",
                        "{'t':'error','code':'auth','message':null,'message':'x'}",
                        "field 'message': duplicate key"),
                // Ids.
                bad(
                        "group id with a bad char",
                        "{'t':'group.leave','req':1,'group':'g!'}",
                        "field 'group': expected a string of 1..64 characters [A-Za-z0-9._-]"),
                bad(
                        "group id too long",
                        "{'t':'group.leave','req':1,'group':'" + "g".repeat(65) + "'}",
                        "field 'group': expected a string of 1..64"),
                bad(
                        "empty group id",
                        "{'t':'group.leave','req':1,'group':''}",
                        "field 'group': expected a string of 1..64"),
                bad(
                        "media id with a slash",
                        "{'t':'send','id':1,'to':{'user':2}," + ENV + ",'media':{'id':'a/b','size':1}}",
                        "field 'id' of 'media': expected a string of 1..128 characters"),
                bad(
                        "media without size",
                        "{'t':'send','id':1,'to':{'user':2}," + ENV + ",'media':{'id':'m1'}}",
                        "missing field 'size' of 'media'"),
                bad(
                        "name too long",
                        "{'t':'group.create','req':1,'group':'g','name':'" + "\u00e9".repeat(129) + "','members':[]}",
                        "field 'name': longer than 256 UTF-8 bytes"),
                bad(
                        "message too long",
                        "{'t':'error','code':'auth','message':'" + "m".repeat(1025) + "'}",
                        "field 'message': longer than 1024 UTF-8 bytes"),
                // Addressing.
                bad(
                        "to empty",
                        "{'t':'send','id':1,'to':{}," + ENV + "}",
                        "field 'to': expected exactly one of 'user' or 'group'"),
                bad(
                        "to with user and group",
                        "{'t':'send','id':1,'to':{'user':2,'group':'g'}," + ENV + "}",
                        "field 'to': expected exactly one of 'user' or 'group'"),
                bad("to a number", "{'t':'send','id':1,'to':2," + ENV + "}", "field 'to': expected an object"),
                bad(
                        "to user 0",
                        "{'t':'send','id':1,'to':{'user':0}," + ENV + "}",
                        "field 'user' of 'to': " + ID_RANGE),
                bad(
                        "to group with a space",
                        "{'t':'send','id':1,'to':{'group':'g 1'}," + ENV + "}",
                        "field 'group' of 'to': expected a string of 1..64"),
                bad(
                        "duplicate key in to",
                        "{'t':'send','id':1,'to':{'user':2,'user':3}," + ENV + "}",
                        "field 'user' of 'to': duplicate key"),
                // Envelopes and base64.
                bad("empty env", "{'t':'send','id':1,'to':{'user':2},'env':[]}", "field 'env': must not be empty"),
                bad(
                        "env an object",
                        "{'t':'send','id':1,'to':{'user':2},'env':{}}",
                        "field 'env': expected an array of envelopes"),
                bad(
                        "env element not an object",
                        "{'t':'send','id':1,'to':{'user':2},'env':[1]}",
                        "field 'env': element 0 is not an object"),
                bad(
                        "too many envelopes",
                        "{'t':'send','id':1,'to':{'user':2},'env':[" + envelopes(65) + "]}",
                        "field 'env': more than 64 envelopes"),
                bad(
                        "envelope without type",
                        "{'t':'send','id':1,'to':{'user':2},'env':[{'device':1,'body':''}]}",
                        "missing field 'type' of env[0]"),
                bad(
                        "envelope without body",
                        "{'t':'send','id':1,'to':{'user':2},'env':[{'device':1,'type':'msg'}]}",
                        "missing field 'body' of env[0]"),
                bad(
                        "unknown envelope type",
                        "{'t':'send','id':1,'to':{'user':2},'env':[{'type':'foo','body':''}]}",
                        "field 'type' of env[0]: unknown value 'foo'"),
                bad(
                        "envelope device 64",
                        "{'t':'send','id':1,'to':{'user':2},'env':[{'device':64,'type':'msg','body':''}]}",
                        "field 'device' of env[0]: expected an integer in 1..63"),
                bad(
                        "base64 bad char",
                        body("aGVsbG8*"),
                        "field 'body' of env[0]: invalid base64 (character outside the alphabet)"),
                bad(
                        "base64 url-safe alphabet",
                        body("-_-_"),
                        "field 'body' of env[0]: invalid base64 (character outside the alphabet)"),
                bad("base64 with whitespace", body("aGVs bG8="), "invalid base64"),
                bad(
                        "base64 bad length",
                        body("aGVsbG8"),
                        "field 'body' of env[0]: invalid base64 (length not a multiple of 4)"),
                bad(
                        "base64 missing padding",
                        body("aGk"),
                        "field 'body' of env[0]: invalid base64 (length not a multiple of 4)"),
                bad(
                        "base64 misplaced padding",
                        body("aG=sbG8="),
                        "field 'body' of env[0]: invalid base64 (misplaced padding)"),
                bad("base64 only padding", body("===="), "field 'body' of env[0]: invalid base64 (misplaced padding)"),
                bad(
                        "base64 three padding chars",
                        body("a==="),
                        "field 'body' of env[0]: invalid base64 (misplaced padding)"),
                bad(
                        "base64 non-zero padding bits",
                        body("aGl="),
                        "field 'body' of env[0]: invalid base64 (non-zero padding bits)"),
                bad(
                        "base64 error in env[2]",
                        "{'t':'send','id':1,'to':{'user':2},'env':[" + envelopes(2) + ",{'type':'msg','body':'!!!!'}]}",
                        "field 'body' of env[2]: invalid base64"),
                bad("body a number", body("x").replace("'x'", "5"), "field 'body' of env[0]: expected a base64 string"),
                bad(
                        "duplicate body",
                        "{'t':'send','id':1,'to':{'user':2},'env':[{'type':'msg','body':'','body':''}]}",
                        "field 'body' of env[0]: duplicate key"),
                bad(
                        "msg body invalid",
                        "{'t':'msg','seq':1,'id':1,'from':{'user':1,'device':1},'type':'msg','body':'a','ts':1}",
                        "field 'body': invalid base64"),
                // Lists.
                bad(
                        "empty ids",
                        "{'t':'read','from':{'user':1,'device':1},'ids':[]}",
                        "field 'ids': must not be empty"),
                bad(
                        "ids with 0",
                        "{'t':'read','from':{'user':1,'device':1},'ids':[1,0]}",
                        "field 'ids': expected an array of integers in 1.."),
                bad(
                        "ids not an array",
                        "{'t':'read','from':{'user':1,'device':1},'ids':7}",
                        "field 'ids': expected an array of integers"),
                bad(
                        "ids too long",
                        "{'t':'read','from':{'user':1,'device':1},'ids':[" + "1,".repeat(4096) + "1]}",
                        "field 'ids': more than 4096 entries"),
                bad(
                        "members with a string",
                        "{'t':'group.add','req':1,'group':'g','members':['a']}",
                        "field 'members': expected an array of integers"),
                bad(
                        "missing device 64",
                        "{'t':'error','code':'devices','missing':[64]}",
                        "field 'missing': expected an array of integers in 1..63"),
                bad("unterminated list", "{'t':'error','code':'devices','extra':[1,2", "unexpected end of input"),
                // Enums and booleans.
                bad("unknown error code", "{'t':'error','code':'nope'}", "field 'code': unknown value 'nope'"),
                bad(
                        "unknown receipt kind",
                        "{'t':'receipt','id':1,'to':{'user':1},'kind':'seen','ts':1}",
                        "field 'kind': unknown value 'seen'"),
                bad(
                        "unknown group event",
                        "{'t':'group.event','group':'g','event':'joined','by':1,'members':[]}",
                        "field 'event': unknown value 'joined'"),
                bad("quoted boolean", "{'t':'result','req':1,'ok':'true'}", "field 'ok': expected true or false"),
                bad(
                        "numeric boolean",
                        "{'t':'presence','user':1,'online':1}",
                        "field 'online': expected true or false"),
                bad(
                        "misspelt boolean",
                        "{'t':'typing','to':{'user':1},'on':tru}",
                        "field 'on': expected true or false"),
                // Strings.
                bad("bad escape", "{'t':'hello','user':1,'device':1,'token':'a\\xb'}", "field 'token': invalid escape"),
                bad(
                        "bad unicode escape",
                        "{'t':'error','code':'auth','message':'\\u12G4'}",
                        "field 'message': invalid \\u escape"),
                bad(
                        "short unicode escape",
                        "{'t':'error','code':'auth','message':'\\u12'}",
                        "field 'message': invalid \\u escape"),
                bad(
                        "lone high surrogate",
                        "{'t':'error','code':'auth','message':'\\ud83d'}",
                        "field 'message': lone surrogate escape"),
                bad(
                        "lone low surrogate",
                        "{'t':'error','code':'auth','message':'\\ude00'}",
                        "field 'message': lone surrogate escape"),
                bad(
                        "high surrogate then a letter",
                        "{'t':'error','code':'auth','message':'\\ud83d\\u0041'}",
                        "lone surrogate escape"),
                bad(
                        "raw control character",
                        "{'t':'error','code':'auth','message':'a\nb'}",
                        "field 'message': unescaped control character"),
                badBytes(
                        "invalid UTF-8 byte",
                        "{'t':'error','code':'auth','message':'",
                        new int[] {0xFF},
                        "'}",
                        "field 'message': invalid UTF-8"),
                badBytes(
                        "overlong UTF-8",
                        "{'t':'error','code':'auth','message':'",
                        new int[] {0xC0, 0x80},
                        "'}",
                        "invalid UTF-8"),
                badBytes(
                        "UTF-8 surrogate",
                        "{'t':'error','code':'auth','message':'",
                        new int[] {0xED, 0xA0, 0x80},
                        "'}",
                        "invalid UTF-8"),
                badBytes(
                        "UTF-8 above U+10FFFF",
                        "{'t':'error','code':'auth','message':'",
                        new int[] {0xF4, 0x90, 0x80, 0x80},
                        "'}",
                        "invalid UTF-8"),
                badBytes(
                        "truncated UTF-8",
                        "{'t':'error','code':'auth','message':'",
                        new int[] {0xE2, 0x82},
                        "'}",
                        "invalid UTF-8"),
                badBytes(
                        "stray continuation byte",
                        "{'t':'error','code':'auth','message':'",
                        new int[] {0x80},
                        "'}",
                        "invalid UTF-8"),
                badBytes(
                        "invalid UTF-8 in a key",
                        "{'t':'ping','",
                        new int[] {0xFE},
                        "':1}",
                        "malformed JSON: invalid UTF-8"),
                badBytes(
                        "invalid UTF-8 in an ignored value",
                        "{'t':'ping','x':'",
                        new int[] {0xC3},
                        "'}",
                        "field 'x': invalid UTF-8"),
                // Ignored values are still JSON.
                bad(
                        "nesting too deep in an ignored field",
                        "{'t':'ping','x':" + "[".repeat(33) + "]".repeat(33) + "}",
                        "field 'x': nested deeper than 32 levels"),
                bad(
                        "nested objects too deep",
                        "{'t':'ping','x':" + "{'a':".repeat(33) + "1" + "}".repeat(33) + "}",
                        "nested deeper than 32 levels"),
                bad(
                        "deep nesting in a nested ignored field",
                        "{'t':'send','id':1,'to':{'user':2,'x':" + "[".repeat(40) + "]".repeat(40) + "}," + ENV + "}",
                        "field 'x' of 'to': nested deeper than 32 levels"),
                bad("trailing comma in an ignored array", "{'t':'ping','x':[1,]}", "expected a JSON value"),
                bad("bad literal in an ignored field", "{'t':'ping','x':nul}", "field 'x': invalid literal"),
                bad("bare fraction in an ignored field", "{'t':'ping','x':.5}", "field 'x': expected a JSON value"),
                bad("dangling point in an ignored field", "{'t':'ping','x':1.}", "field 'x': invalid number"),
                bad("dangling exponent in an ignored field", "{'t':'ping','x':1e+}", "field 'x': invalid number"),
                bad("leading zero in an ignored field", "{'t':'ping','x':01}", "expected ',' or '}'"),
                bad("bad escape in an ignored field", "{'t':'ping','x':'\\q'}", "field 'x': invalid escape"),
                bad("unclosed ignored object", "{'t':'ping','x':{'a':1}", "unexpected end of input"),
                bad("bad escape in an ignored key", "{'t':'ping','\\q':1}", "malformed JSON: invalid escape"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFrames")
    void shouldRejectWithBadFrameNamingTheProblem(final String name, final byte[] input, final String message) {
        final ProtocolException error = catchThrowableOfType(ProtocolException.class, () -> decode(input));

        assertThat(error)
                .as("decoding %s", new String(input, java.nio.charset.StandardCharsets.UTF_8))
                .isNotNull();
        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(error.getMessage()).contains(message);
    }

    /** protocol.md, Session: a hello that cannot authenticate gets auth, as a bad token does, not bad-frame. */
    @Test
    void shouldRefuseAHelloWithoutATokenWithAuth() {
        final ProtocolException error = catchThrowableOfType(
                ProtocolException.class, () -> decode(utf8("{\"t\":\"hello\",\"user\":1,\"device\":1}")));

        assertThat(error.code()).isEqualTo(ErrorCode.AUTH);
        assertThat(error.getMessage()).isEqualTo("hello without a token");
    }

    static Stream<Arguments> malformedTokens() {
        return Stream.of(
                bad("empty token", "{'t':'hello','user':1,'device':1,'token':''}", TOKEN + " visible ASCII"),
                bad("token too long", "{'t':'hello','user':1,'device':1,'token':'" + "a".repeat(129) + "'}", TOKEN),
                bad("token with a space", "{'t':'hello','user':1,'device':1,'token':'a b'}", TOKEN),
                bad("token not ASCII", "{'t':'hello','user':1,'device':1,'token':'t\u00f6k'}", TOKEN),
                bad("token a number", "{'t':'hello','user':1,'device':1,'token':5}", TOKEN),
                bad("token null", "{'t':'hello','user':1,'device':1,'token':null}", TOKEN));
    }

    /** protocol.md, Session: a token that cannot be one is a bad token, answered with auth as a wrong one is. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedTokens")
    void shouldRefuseAHelloWithAMalformedTokenWithAuth(final String name, final byte[] input, final String message) {
        final ProtocolException error = catchThrowableOfType(ProtocolException.class, () -> decode(input));

        assertThat(error.code()).isEqualTo(ErrorCode.AUTH);
        assertThat(error.getMessage()).contains(message);
    }

    @Test
    void shouldThrowWithoutAStackTrace() {
        final ProtocolException error = catchThrowableOfType(ProtocolException.class, () -> decode(utf8("{}")));

        assertThat(error).as("decoding {}").isNotNull();
        assertThat(error.getStackTrace()).isEmpty();
    }

    @Test
    void shouldDecodeAgainAfterAFailure() {
        final JsonFrameDecoder decoder = new JsonFrameDecoder();
        final Frame frame = new Frame();
        final byte[] bad = utf8("{\"t\":\"hello\",\"user\":1,\"device\":1,\"token\":\"a\\x\"}");
        final byte[] good = utf8("{\"t\":\"recv\",\"seq\":5}");

        assertThatThrownBy(() -> decoder.decode(new UnsafeBuffer(bad), 0, bad.length, frame))
                .as("the bad escape fails the first decode")
                .isInstanceOf(ProtocolException.class);
        decoder.decode(new UnsafeBuffer(good), 0, good.length, frame);

        assertThat(frame.type()).isEqualTo(FrameType.RECV);
        assertThat(frame.seq()).isEqualTo(5);
        assertThat(frame.token().isEmpty()).isTrue();
    }

    private static void decode(final byte[] input) {
        new JsonFrameDecoder().decode(new UnsafeBuffer(input), 0, input.length, new Frame());
    }

    private static final String TOKEN = "field 'token': expected a string of 1..128";

    private static Arguments bad(final String name, final String json, final String message) {
        return Arguments.of(name, utf8(json.replace('\'', '"')), message);
    }

    private static Arguments badRaw(final String name, final String json, final String message) {
        return Arguments.of(name, utf8(json), message);
    }

    /** {@code before}, the raw bytes, then {@code after}: for byte sequences no Java string can hold. */
    private static Arguments badBytes(
            final String name, final String before, final int[] raw, final String after, final String message) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(before.replace('\'', '"')));
        for (final int b : raw) {
            out.write(b);
        }
        out.writeBytes(utf8(after.replace('\'', '"')));
        return Arguments.of(name, out.toByteArray(), message);
    }

    private static String body(final String base64) {
        return "{'t':'send','id':1,'to':{'user':2},'env':[{'device':1,'type':'msg','body':'" + base64 + "'}]}";
    }

    private static String envelopes(final int count) {
        final StringBuilder envelopes = new StringBuilder();
        for (int i = 0; i < count; i++) {
            envelopes.append(i == 0 ? "" : ",").append("{'type':'msg','body':'aGk='}");
        }
        return envelopes.toString();
    }
}
