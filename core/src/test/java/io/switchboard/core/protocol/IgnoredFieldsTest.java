package io.switchboard.core.protocol;

import static io.switchboard.core.protocol.Frames.decode;
import static io.switchboard.core.protocol.Frames.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * What the decoder accepts beyond the canonical form: unknown and irrelevant fields anywhere, {@code null} for
 * optional fields, any key order and escaping. Inputs use {@code '} for {@code "}.
 */
class IgnoredFieldsTest {
    @Test
    void shouldIgnoreUnknownFieldsOfEveryJsonType() {
        final Frame frame = json("{'t':'hello','x':1,'user':42,'obj':{'a':[1,{'b':null}],'c':'d'},'device':1,"
                + "'arr':[[],{},'s',-1.5e-3,true,false,null],'token':'tok','str':'caf\\u00e9 \u00e9','z':{}}");

        assertThat(frame.type()).isEqualTo(FrameType.HELLO);
        assertThat(frame.user()).isEqualTo(42);
        assertThat(frame.device()).isEqualTo(1);
        assertThat(frame.token().toString()).isEqualTo("tok");
    }

    @Test
    void shouldIgnoreUnknownFieldsInsideNestedObjects() {
        final Frame frame = json("{'t':'send','id':7,'to':{'x':[1],'user':99,'y':{'z':1}},"
                + "'env':[{'note':'hi','device':2,'type':'msg','extra':{'k':[]},'body':'aGk='}],"
                + "'media':{'id':'m1','hash':'abc','size':3,'w':[1,2]}}");

        assertThat(frame.toUser()).isEqualTo(99);
        assertThat(frame.envelopeDevice(0)).isEqualTo(2);
        assertThat(frame.envelopeBody(0)).isEqualTo(utf8("hi"));
        assertThat(frame.mediaId().toString()).isEqualTo("m1");
        assertThat(frame.mediaSize()).isEqualTo(3);
    }

    @Test
    void shouldIgnoreFieldsOfOtherTypesWhateverTheirValue() {
        final Frame frame = json("{'t':'ping','user':'not a number','token':[1,2],'env':5,'to':null,'ids':[],'t2':1}");

        assertThat(frame.type()).isEqualTo(FrameType.PING);
        assertThat(frame.user()).isZero();
        assertThat(frame.token().isEmpty()).isTrue();
    }

    @Test
    void shouldIgnoreDuplicatesOfIgnoredFields() {
        final Frame frame = json("{'t':'recv','x':1,'x':2,'user':1,'user':2,'seq':3}");

        assertThat(frame.seq()).isEqualTo(3);
    }

    @Test
    void shouldAcceptIgnoredValuesNestedToTheLimit() {
        final Frame frame = json("{'t':'ping','x':" + "[".repeat(ProtocolLimits.MAX_NESTING)
                + "]".repeat(ProtocolLimits.MAX_NESTING) + "}");

        assertThat(frame.type()).isEqualTo(FrameType.PING);
    }

    @Test
    void shouldTreatNullAsAbsentForOptionalFields() {
        final Frame error = json("{'t':'error','code':'auth','message':null,'id':null,'missing':null,'extra':null}");
        assertThat(error.hasMessage()).isFalse();
        assertThat(error.hasId()).isFalse();
        assertThat(error.hasMissing()).isFalse();
        assertThat(error.hasExtra()).isFalse();

        final Frame send =
                json("{'t':'send','id':1,'to':{'group':'g'},'env':[{'device':null,'type':'skmsg','body':''}],"
                        + "'media':null}");
        assertThat(send.hasMedia()).isFalse();
        assertThat(send.envelopeDevice(0)).isZero();

        final Frame presence = json("{'t':'presence','user':1,'online':true,'lastSeen':null}");
        assertThat(presence.hasLastSeen()).isFalse();

        final Frame typing = json("{'t':'typing','to':{'user':1},'from':null,'group':null,'on':true}");
        assertThat(typing.toUser()).isEqualTo(1);
        assertThat(typing.fromUser()).isZero();
    }

    @Test
    void shouldFindTheTypeAnywhereAmongTheKeys() {
        final Frame frame = json("{'seq':5,'ignored':{'t':'hello'},'t':'recv'}");

        assertThat(frame.type()).isEqualTo(FrameType.RECV);
        assertThat(frame.seq()).isEqualTo(5);
    }

    @Test
    void shouldMatchEscapedKeysAndValues() {
        final Frame frame = json("{'\\u0074':'\\u0068ello','us\\u0065r':42,'device':1,'token':'a\\/b\\\\c\\'d'}");

        assertThat(frame.type()).isEqualTo(FrameType.HELLO);
        assertThat(frame.user()).isEqualTo(42);
        assertThat(frame.token().toString()).isEqualTo("a/b\\c\"d");
    }

    @Test
    void shouldNotMistakeTheStartOfALongUnknownKeyForAField() {
        final Frame frame = json("{'t':'typing','to':{'user':1},'on':true,'o\\u006e" + "n".repeat(40) + "':false}");

        assertThat(frame.on()).isTrue();
    }

    @Test
    void shouldDecodeABodyWithEscapedSlashes() {
        final Frame frame = json("{'t':'send','id':1,'to':{'user':2},'env':[{'type':'plain','body':'a\\/8='}]}");

        assertThat(frame.envelopeBody(0)).containsExactly(0x6B, 0xFF);
    }

    @Test
    void shouldDecodeRawUtf8AndEscapedSurrogatePairsAlike() {
        final Frame raw =
                json("{'t':'group.create','req':1,'group':'g','name':'\ud83d\ude00 \u00e9\u4e2d','members':[]}");
        final Frame escaped =
                json("{'t':'group.create','req':1,'group':'g','name':'\\ud83d\\ude00 \\u00E9\\u4e2d','members':[]}");

        assertThat(raw.name().toString()).isEqualTo("\ud83d\ude00 \u00e9\u4e2d");
        assertThat(escaped.name().toString()).isEqualTo(raw.name().toString());
        assertThat(escaped.name().contentEquals("\ud83d\ude00 \u00e9\u4e2d")).isTrue();
    }

    @Test
    void shouldAcceptTheLimits() {
        final Frame frame = json("{'t':'hello','user':9007199254740991,'device':63,'token':'" + "~".repeat(128) + "'}");

        assertThat(frame.user()).isEqualTo(ProtocolLimits.MAX_ID);
        assertThat(frame.device()).isEqualTo(ProtocolLimits.MAX_DEVICE);
        assertThat(frame.token().length()).isEqualTo(ProtocolLimits.MAX_TOKEN_LENGTH);
    }

    @Test
    void shouldDecodeAFrameInTheMiddleOfABuffer() {
        final byte[] json = utf8("{\"t\":\"recv\",\"seq\":77}");
        final byte[] padded = new byte[json.length + 20];
        padded[0] = '[';
        System.arraycopy(json, 0, padded, 10, json.length);
        padded[10 + json.length] = '}';
        final Frame frame = new Frame();

        new JsonFrameDecoder().decode(new UnsafeBuffer(padded), 10, json.length, frame);

        assertThat(frame.seq()).isEqualTo(77);
    }

    private static Frame json(final String json) {
        return decode(json.replace('\'', '"'));
    }
}
