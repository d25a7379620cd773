/**
 * Shared test harness: ranks as threads ({@link io.jccl.testkit.Cluster}), verifiable data and an
 * independent reference ({@link io.jccl.testkit.ReferenceData}), and the abstract conformance
 * suites every transport subclasses.
 */
package io.jccl.testkit;
