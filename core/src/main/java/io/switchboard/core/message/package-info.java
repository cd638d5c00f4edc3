/**
 * The messages the server stores: what a send carries ({@link io.switchboard.core.message.SendView}) and the single
 * stored copy of a group message ({@link io.switchboard.core.message.GroupMessage}). The ground under both the owner's
 * domain ({@code session}) and the journal, which import it and not each other: the journal stores and replays these,
 * the domain decides what to do with them.
 */
package io.switchboard.core.message;
