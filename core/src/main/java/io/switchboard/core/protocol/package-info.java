/**
 * The wire protocol {@code sb.json.v1}: the {@link io.switchboard.core.protocol.Frame} model that every codec fills and
 * reads, its enums and limits, and the strict, allocation-free JSON codec ({@link
 * io.switchboard.core.protocol.JsonFrameDecoder}, {@link io.switchboard.core.protocol.JsonFrameEncoder}).
 *
 * <p>protocol.md (the wire contract, version 1) defines the frames; {@link io.switchboard.core.protocol.ProtocolLimits}
 * adds the bounds the decoder enforces.
 */
package io.switchboard.core.protocol;
