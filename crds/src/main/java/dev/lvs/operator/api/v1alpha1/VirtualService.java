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
 * An IPVS virtual service: a VIP, port and protocol that director nodes own and balance over the
 * selected RealServers.
 */
@Group(LvsApi.GROUP)
@Version(LvsApi.VERSION)
// Explicit, so that constructing one (every watch event) does not derive it with regexes.
@Plural("virtualservices")
@ShortNames({"lvsvs", "lvsvc"})
@Categories(LvsApi.CATEGORY)
@AdditionalPrinterColumn(
    name = "VIP",
    jsonPath = ".spec.vip",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Port",
    jsonPath = ".spec.port",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Proto",
    jsonPath = ".spec.protocol",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Sched",
    jsonPath = ".spec.scheduler",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Servers",
    jsonPath = ".status.realServers",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Active",
    jsonPath = ".status.activeDirector",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class VirtualService extends CustomResource<VirtualServiceSpec, VirtualServiceStatus>
    implements Namespaced {}
