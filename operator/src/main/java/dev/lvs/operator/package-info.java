/** The lvs-operator: reconciles VirtualService and RealServer into the agent DaemonSet. */
package dev.lvs.operator;
