/** Options declared once, resolved with builder &gt; system property &gt; environment &gt; default. */
package io.jccl.config;
