package dev.lvs.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A cluster-scoped pool of addresses that VirtualServices may use as VIPs, owned by the cluster
 * admin: a VIP must lie in a pool that admits the service's namespace, and a service without a VIP
 * gets one from such a pool. Cluster-scoped, so namespace users cannot create or widen one.
 */
@Group(LvsApi.GROUP)
@Version(LvsApi.VERSION)
@Plural("vippools")
@ShortNames({"lvspool"})
@Categories(LvsApi.CATEGORY)
@AdditionalPrinterColumn(
    name = "Addresses",
    jsonPath = ".spec.addresses",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Auto",
    jsonPath = ".spec.autoAssign",
    type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
    name = "Assigned",
    jsonPath = ".status.assigned",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class VipPool extends CustomResource<VipPoolSpec, VipPoolStatus> {}
