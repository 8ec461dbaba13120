using WaldurEmulator.Features.Events;
using WaldurEmulator.Infrastructure;
using WaldurEmulator.State;

namespace WaldurEmulator.Features.Customers;

/// <summary>Creates customers and projects and emits their creation events.</summary>
internal sealed class DirectoryService(EmulatorStore store, EventPublisher events)
{
    public Customer CreateCustomer(string name, string? abbreviation, string? email, string? contactDetails, Actor? actor)
    {
        lock (store.Sync)
        {
            var customer = store.Customers.Add(new Customer
            {
                Uuid = Hex.NewUuid(), Name = name, Slug = EmulatorStore.Slug(name, store.Customers.All.Select(c => c.Slug)),
                Abbreviation = abbreviation ?? "", Email = email ?? "", ContactDetails = contactDetails ?? "",
                Created = store.Now,
            });
            events.Publish("customer_creation_succeeded", $"Customer {name} has been created.",
                EventContext.Customer(customer), actor);
            return customer;
        }
    }

    public Project CreateProject(string customerUuid, string name, string? description, DateOnly? endDate, Actor? actor)
    {
        lock (store.Sync)
        {
            var customer = store.Customers.Find(customerUuid) ?? throw ApiException.Field("customer", "Invalid hyperlink - Object does not exist.");
            var project = store.Projects.Add(new Project
            {
                Uuid = Hex.NewUuid(), Name = name, CustomerUuid = customer.Uuid, Description = description ?? "",
                EndDate = endDate, Slug = EmulatorStore.Slug(name, store.Projects.All.Select(p => p.Slug)),
                Created = store.Now,
            });
            events.Publish("project_creation_succeeded", $"Project {name} has been created.",
                EventContext.Project(store, project), actor);
            return project;
        }
    }
}
