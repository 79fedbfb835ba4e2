package dev.lvs.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A real server (an IPVS destination): an address that VirtualServices selecting it forward to and,
 * when it is a cluster node, the node that holds their VIPs on {@code lo}.
 */
@Group(LvsApi.GROUP)
@Version(LvsApi.VERSION)
// Explicit, so that constructing one (every watch event) does not derive it with regexes.
@Plural("realservers")
@ShortNames({"lvsrs"})
@Categories(LvsApi.CATEGORY)
@AdditionalPrinterColumn(
    name = "Address",
    jsonPath = ".spec.address",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Node",
    jsonPath = ".spec.nodeName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Weight",
    jsonPath = ".spec.weight",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RealServer extends CustomResource<RealServerSpec, RealServerStatus>
    implements Namespaced {}
