package org.crustyclaw.agent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code [agent]} of crustyclaw.toml, configuration PID {@code org.crustyclaw.agent}. */
@ObjectClassDefinition(name = "CrustyClaw agent", description = "Skills, the agent loop and durable tasks ([agent] in crustyclaw.toml)")
public @interface AgentConfig {

    String PID = "org.crustyclaw.agent";

    @AttributeDefinition(description = "Directories holding directory skills (NAME/skill.toml); relative paths start at the"
            + " installation directory")
    String[] skillDirs() default {"skills"};

    @AttributeDefinition(description = "Characters of a tool result the model sees; longer results are cut with a note"
            + " saying how much was left out", min = "256")
    int maxResultChars() default 16384;

    @AttributeDefinition(description = "Tasks that run at the same time; more wait queued", min = "1", max = "64")
    int workers() default 2;

    @AttributeDefinition(description = "Minutes a tool call waits for a human's approval before it is refused", min = "1")
    int approvalTimeoutMinutes() default 30;

    @AttributeDefinition(description = "Tool calls one model turn may ask for at most; more are refused", min = "1", max = "64")
    int maxCallsPerTurn() default 8;
}
