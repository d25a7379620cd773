/** A test transport whose sends complete re-entrantly, and the collective matrix over it. */
package io.jccl.testkit.inline;
