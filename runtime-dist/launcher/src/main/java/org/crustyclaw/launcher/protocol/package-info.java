/**
 * The admin socket protocol. The launcher is on the JVM class path; the framework's system
 * bundle exports this package so the core bundle speaks the same format.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.crustyclaw.launcher.protocol;
