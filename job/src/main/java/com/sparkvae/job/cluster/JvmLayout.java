package com.sparkvae.job.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a barrier stage's tasks run, from their executors' addresses ({@code BarrierTaskContext.getTaskInfos}, one
 * per partition, the same for every task of one executor JVM): the JVMs in order of their lowest partition, and
 * for one task its JVM, its place among that JVM's tasks (0: the JVM's leader), and how many they are.
 */
record JvmLayout(int jvms, int jvm, int member, int members, List<Integer> leaders, String[] addresses) {

    static JvmLayout of(String[] addresses, int partition) {
        List<String> jvmAddresses = new ArrayList<>();
        List<Integer> leaders = new ArrayList<>();
        for (int p = 0; p < addresses.length; p++) {
            if (!jvmAddresses.contains(addresses[p])) {
                jvmAddresses.add(addresses[p]);
                leaders.add(p);
            }
        }
        int member = 0;
        int members = 0;
        for (int p = 0; p < addresses.length; p++) {
            if (addresses[p].equals(addresses[partition])) {
                member += p < partition ? 1 : 0;
                members++;
            }
        }
        return new JvmLayout(jvmAddresses.size(), jvmAddresses.indexOf(addresses[partition]), member, members,
                List.copyOf(leaders), addresses);
    }

    /** The host of an executor's address, {@code host:port}. */
    static String host(String address) {
        int colon = address.lastIndexOf(':');
        return colon < 0 ? address : address.substring(0, colon);
    }

    /** Each JVM's host, in JVM order. */
    String[] leaderHosts() {
        return leaders.stream().map(p -> host(addresses[p])).toArray(String[]::new);
    }

    /** Each JVM's server port, in JVM order, from what every task published ({@code ports[p]} for partition p). */
    int[] leaderPorts(String[] ports) {
        return leaders.stream().mapToInt(p -> Integer.parseInt(ports[p])).toArray();
    }

    /**
     * Each JVM's server port, in JVM order, from a table by executor address; null unless it names every JVM. Every
     * task of a stage decides alike from the same addresses and table.
     */
    int[] knownPorts(Map<String, Integer> byAddress) {
        int[] ports = new int[leaders.size()];
        for (int j = 0; j < ports.length; j++) {
            Integer port = byAddress.get(addresses[leaders.get(j)]);
            if (port == null) {
                return null;
            }
            ports[j] = port;
        }
        return ports;
    }

    /** The table {@link #knownPorts} reads: each JVM's port by its executor address. */
    Map<String, Integer> portsByAddress(int[] ports) {
        Map<String, Integer> byAddress = new HashMap<>();
        for (int j = 0; j < ports.length; j++) {
            byAddress.put(addresses[leaders.get(j)], ports[j]);
        }
        return byAddress;
    }
}
