/** The Switchboard chat server. */
package io.switchboard.core;
